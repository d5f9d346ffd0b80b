"""Offline pages: with every request to another host blocked, each role's pages load all their
assets (styles, scripts, fonts, images) from the app itself."""

from urllib.parse import urlsplit

import pytest

from tests.factories import (
    CommunityClinicianFactory,
    ConsultantFactory,
    GPFactory,
    ManagerFactory,
    PatientFactory,
)
from tests.triage.factories import AdviceRequestFactory, ReferralFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def watch_requests(page, live_server_url: str) -> dict:
    """Blocks and records every request to another host; records same-host asset failures."""
    own_host = urlsplit(live_server_url).netloc
    seen = {"foreign": [], "failed": []}

    def route(route):
        if urlsplit(route.request.url).netloc == own_host:
            route.continue_()
        else:
            seen["foreign"].append(route.request.url)
            route.abort()

    def response(resp):
        if resp.request.resource_type in {"stylesheet", "script", "font", "image"} and (
            resp.status >= 400
        ):
            seen["failed"].append(f"{resp.status} {resp.url}")

    page.route("**/*", route)
    page.on("response", response)
    return seen


def visit_home_and_menu(page) -> list[str]:
    page.goto("/")
    page.wait_for_load_state("networkidle")
    links = page.locator("a.nhsuk-header__navigation-link")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    visited = ["/"]
    for href in hrefs:
        page.goto(href)
        page.wait_for_load_state("networkidle")
        visited.append(href)
    return visited


@pytest.mark.parametrize(
    "make_user", [GPFactory, ConsultantFactory, CommunityClinicianFactory, ManagerFactory]
)
def test_every_menu_page_loads_its_assets_from_the_app_alone(page, sign_in, live_server, make_user):
    user = make_user()
    if user.is_clinician and user.role != "gp":
        ReferralFactory(provider=user.organisation)
    seen = watch_requests(page, live_server.url)
    sign_in(user)
    visited = visit_home_and_menu(page)
    assert len(visited) > 1
    assert seen == {"foreign": [], "failed": []}


def test_referral_and_patient_pages_load_their_assets_from_the_app_alone(
    page, sign_in, live_server
):
    consultant = ConsultantFactory()
    patient = PatientFactory()
    referral = ReferralFactory(provider=consultant.organisation, patient=patient)
    AdviceRequestFactory()
    seen = watch_requests(page, live_server.url)
    sign_in(consultant)
    for url in (
        f"/triage/referrals/{referral.uuid}/",
        f"/patients/{patient.uuid}/",
        "/patients/?family_name=a",
    ):
        page.goto(url)
        page.wait_for_load_state("networkidle")
    assert seen == {"foreign": [], "failed": []}


def test_pages_use_the_system_font_not_frutiger(page, sign_in):
    sign_in(GPFactory())
    page.goto("/")
    family = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert "Frutiger" not in family
    assert family.lower().startswith("arial")
