"""The one pagination markup (templates/_pagination.html) every paged list includes."""

from django.template.loader import render_to_string


def render(**context) -> str:
    return render_to_string("_pagination.html", context)


def test_without_either_link_nothing_is_drawn():
    assert render(previous_label="Previous page", next_label="Next page").strip() == ""


def test_a_next_link_alone_has_its_url_words_and_rel():
    html = render(next_url="?cursor=abc", next_label="Next 50")
    assert 'href="?cursor=abc" rel="next"' in html
    assert ">Next</span>" in html and ">Next 50</span>" in html
    assert 'rel="prev"' not in html


def test_the_titles_can_be_named_by_the_page():
    html = render(previous_url="?after=1", previous_title="Newer", previous_label="Newer events")
    assert 'href="?after=1" rel="prev"' in html and ">Newer</span>" in html
