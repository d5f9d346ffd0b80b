"""The review form: the NHS date input, fields for the chosen outcome, the urgent-return
confirmation, words rather than codes, and fields whose hints and errors are announced."""

import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from audit.models import AuditEvent
from tests.factories import ConsultantFactory
from tests.helpers import signed_in
from tests.triage.factories import ReferralFactory
from triage.models import Review, Status
from triage.web.forms import BookForm, ReviewForm
from triage.web.widgets import NHSDateField, date_from_parts

pytestmark = pytest.mark.django_db


def date_parts(name, day):
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


def review_url(referral) -> str:
    return f"/triage/referrals/{referral.uuid}/review/"


def review_data(referral, **overrides) -> dict:
    data = {
        "review-category": "P3",
        "review-outcome": "accept",
        "review-rationale": "Stable symptoms: routine assessment.",
        "review-version": referral.version,
    }
    data.update(overrides)
    return data


@pytest.fixture
def referral():
    return ReferralFactory()


@pytest.fixture
def consultant(client, referral):
    return signed_in(client, ConsultantFactory(organisation=referral.provider))


# The date input


def test_the_date_input_reads_day_month_and_year():
    assert date_from_parts("5", "3", "2027") == date(2027, 3, 5)


def test_three_empty_boxes_are_no_date():
    assert date_from_parts("", " ", "") is None


def test_a_missing_part_is_named():
    with pytest.raises(ValidationError, match="The date must include a month"):
        date_from_parts("5", "", "2027")


def test_a_month_out_of_range_is_named():
    with pytest.raises(ValidationError, match="The month must be a number from 1 to 12"):
        date_from_parts("5", "13", "2027")


def test_a_two_digit_year_is_named():
    with pytest.raises(ValidationError, match="The year must have 4 digits"):
        date_from_parts("5", "3", "27")


def test_a_day_that_is_not_a_number_is_named():
    with pytest.raises(ValidationError, match="The day must be a number"):
        date_from_parts("fifth", "3", "2027")


def test_an_impossible_day_of_the_month_is_named():
    with pytest.raises(ValidationError, match="real day of that month"):
        date_from_parts("30", "2", "2027")


def test_a_required_date_left_empty_says_what_to_enter():
    form = BookForm({"book-appointment_on_0": ""}, prefix="book")
    assert form.errors["appointment_on"] == ["Enter the appointment date."]


def test_the_date_input_renders_three_labelled_numeric_boxes():
    html = str(NHSDateField(label="Date").widget.render("when", date(2027, 3, 5)))
    assert re.findall(r'<label class="nhsuk-label nhsuk-date-input__label" for="(\w+)">', html) == [
        "id_when_0",
        "id_when_1",
        "id_when_2",
    ]
    assert 'value="2027"' in html and 'inputmode="numeric"' in html


def test_the_review_form_keeps_what_was_typed_in_the_date_boxes():
    form = ReviewForm(
        {"review-contact_on_0": "31", "review-contact_on_1": "2", "review-contact_on_2": "2027"},
        prefix="review",
    )
    assert not form.is_valid()
    assert 'value="31"' in str(form["contact_on"])


# The page


def test_a_question_typed_for_the_gp_with_return_to_referrer_is_refused_not_dropped(
    client, referral, consultant
):
    response = client.post(
        review_url(referral),
        review_data(referral, **{"review-outcome": "return", "review-question": "X-ray done?"}),
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Remove the question for the GP, or choose ‘Ask the referring GP’." in page
    assert "X-ray done?" in page
    assert not Review.objects.exists()


def test_a_deferral_saves_with_the_contact_date_typed_as_day_month_and_year(
    client, referral, consultant
):
    day = timezone.localdate() + timedelta(days=60)
    response = client.post(
        review_url(referral),
        review_data(referral, **{"review-category": "P5", **date_parts("review-contact_on", day)}),
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.category, referral.contact_on) == ("P5", day)


def test_a_contact_date_with_a_wrong_part_names_the_part(client, referral, consultant):
    response = client.post(
        review_url(referral),
        review_data(
            referral,
            **{
                "review-category": "P5",
                "review-contact_on_0": "1",
                "review-contact_on_1": "14",
                "review-contact_on_2": "2030",
            },
        ),
    )
    assert "The month must be a number from 1 to 12." in response.content.decode()


def test_an_urgent_return_first_asks_for_confirmation(client, referral, consultant):
    response = client.post(
        review_url(referral),
        review_data(referral, **{"review-category": "P1a", "review-outcome": "return"}),
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert 'data-testid="urgent-return-warning"' in page
    assert "Yes, return it to the referrer" in page
    assert not Review.objects.exists()


def test_an_urgent_return_with_the_confirmation_ticked_is_saved(client, referral, consultant):
    response = client.post(
        review_url(referral),
        review_data(
            referral,
            **{
                "review-category": "P1a",
                "review-outcome": "return",
                "review-confirm_urgent_return": "on",
            },
        ),
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == "returned_to_referrer"


def test_the_confirmation_is_not_shown_before_it_is_needed(client, referral, consultant):
    page = client.get(f"/triage/referrals/{referral.uuid}/").content.decode()
    assert "confirm_urgent_return" not in page


def test_without_javascript_each_conditional_field_says_which_choice_it_belongs_to(
    client, referral, consultant
):
    page = client.get(f"/triage/referrals/{referral.uuid}/").content.decode()
    assert "Only when the outcome is ‘Ask the referring GP’." in page
    assert "Only for P5 or P6, when the patient chose to wait." in page
    assert " hidden" not in page.split('id="review-fields"')[1].split("</form>")[0]


def review_fields(client, referral, **chosen):
    url = f"/triage/referrals/{referral.uuid}/"
    return client.get(url, {"review-fields": "1", **chosen}, headers={"HX-Request": "true"})


def shown_blocks(html: str) -> set[str]:
    """The ids of the preserved field blocks whose wrapper is not hidden."""
    return set(re.findall(r'<div class="app-conditional">\s*<div id="([\w-]+)"', html))


def test_the_htmx_request_returns_only_the_fields_for_the_chosen_outcome(
    client, referral, consultant
):
    response = review_fields(client, referral, **{"review-outcome": "request_advice"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert shown_blocks(html) == {"review-question"}


def test_the_htmx_request_shows_the_contact_date_for_a_deferred_category(
    client, referral, consultant
):
    html = review_fields(client, referral, **{"review-category": "P5"}).content.decode()
    assert shown_blocks(html) == {"review-contact-on"}


def test_the_htmx_request_for_the_review_fields_audits_no_read(client, referral, consultant):
    before = AuditEvent.objects.count()
    review_fields(client, referral, **{"review-outcome": "redirect"})
    assert AuditEvent.objects.count() == before


def test_the_htmx_request_for_an_unseen_referral_is_not_found(client, consultant):
    assert review_fields(client, ReferralFactory()).status_code == 404


def test_a_page_with_form_errors_starts_its_title_with_error(client, referral, consultant):
    response = client.post(review_url(referral), review_data(referral, **{"review-rationale": ""}))
    title = re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1)
    assert title.startswith("Error: ")


def test_a_page_without_errors_has_no_error_in_its_title(client, referral, consultant):
    page = client.get(f"/triage/referrals/{referral.uuid}/").content.decode()
    assert "<title>Error" not in page


def test_every_aria_describedby_points_at_an_id_on_the_page(client, referral, consultant):
    response = client.post(
        review_url(referral),
        review_data(
            referral,
            **{"review-category": "", "review-rationale": "", "review-question": "Why?"},
        ),
    )
    page = response.content.decode()
    ids = set(re.findall(r'\sid="([^"]+)"', page))
    described = {
        ref for refs in re.findall(r'aria-describedby="([^"]+)"', page) for ref in refs.split()
    }
    assert described and described <= ids


def test_a_radio_groups_error_is_named_by_its_fieldset(client, referral, consultant):
    response = client.post(review_url(referral), review_data(referral, **{"review-category": ""}))
    page = response.content.decode()
    assert re.search(
        r'<fieldset class="nhsuk-fieldset" id="id_review-category" '
        r'aria-describedby="id_review-category_error">',
        page,
    )
    assert 'id="id_review-category_error"' in page


def test_the_error_summary_links_a_radio_group_to_its_first_radio(client, referral, consultant):
    response = client.post(review_url(referral), review_data(referral, **{"review-category": ""}))
    page = response.content.decode()
    assert 'href="#id_review-category-1"' in page
    assert 'id="id_review-category-1"' in page


def test_the_history_shows_statuses_by_their_labels(client, referral, consultant):
    client.post(review_url(referral), review_data(referral))
    history = client.get(f"/triage/referrals/{referral.uuid}/").content.decode()
    assert "Awaiting review → Accepted, awaiting booking" in history
    assert "awaiting_review" not in history


def test_the_htmx_request_for_a_referral_no_longer_under_review_is_forbidden(client, consultant):
    referral = ReferralFactory(status=Status.CANCELLED, provider=consultant.organisation)
    assert review_fields(client, referral).status_code == 403
