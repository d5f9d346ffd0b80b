"""Complete pages: the 500 page, the favicon, success banners and nothing from another host."""

import re

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.views.defaults import server_error

from tests.factories import CommunityClinicianFactory, ConsultantFactory, GPFactory
from tests.helpers import signed_in


def test_500_page_renders_without_context_or_request_user():
    response = server_error(RequestFactory().get("/"))
    body = response.content.decode()
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in body
    assert "/static/css/interface.css" in body


@pytest.mark.django_db
def test_every_page_links_our_own_favicon(client):
    signed_in(client, GPFactory())
    body = client.get("/").content.decode()
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in body


@pytest.mark.django_db
def test_favicon_is_served_by_the_app(client):
    response = client.get("/static/favicon.svg")
    assert response.status_code == 200
    assert b"<svg" in b"".join(response.streaming_content)


@pytest.mark.django_db
def test_success_message_is_an_nhs_success_banner(client):
    consultant = signed_in(client, ConsultantFactory())
    gp, community = GPFactory(), CommunityClinicianFactory()
    response = client.post(
        "/triage/panels/new/",
        {
            "name": "Banner panel",
            "treatment_function": "110",
            "members": f"{gp.username} {community.username} {consultant.username}",
        },
        follow=True,
    )
    body = response.content.decode()
    assert "nhsuk-notification-banner nhsuk-notification-banner--success" in body
    assert re.search(r'notification-banner__heading">\s*Panel Banner panel created\.', body)


def test_content_security_policy_allows_fonts_from_the_app_alone():
    assert settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["font-src"] == ["'self'"]


def test_stylesheet_replaces_the_remote_nhs_font_with_the_system_stack():
    css = (settings.BASE_DIR / "static" / "css" / "interface.css").read_text()
    assert "html { font-family: arial, sans-serif; }" in css


@pytest.mark.django_db
def test_patient_search_inputs_have_the_nhs_input_class(client):
    signed_in(client, GPFactory())
    body = client.get("/patients/").content.decode()
    for name in ("nhs_number", "family_name"):
        (tag,) = re.findall(rf'<input[^>]*name="{name}"[^>]*>', body)
        assert 'class="nhsuk-input ' in tag
