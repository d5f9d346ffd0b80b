"""The review form in Chromium: htmx brings the fields for the chosen outcome from the page
itself, every field shows without JavaScript, an urgent return asks for confirmation, and an
ignored field that was filled in is refused rather than dropped."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import TIMEOUT_MS
from tests.factories import DEFAULT_PASSWORD, ConsultantFactory
from tests.triage.factories import ReferralFactory
from triage.models import Review

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def referral():
    return ReferralFactory(priority="urgent")


@pytest.fixture
def consultant(referral):
    return ConsultantFactory(organisation=referral.provider)


def open_referral(page, sign_in, consultant, referral):
    sign_in(consultant)
    page.goto(f"/triage/referrals/{referral.uuid}/")
    return page


def test_with_javascript_fields_appear_for_the_chosen_outcome_and_the_review_saves(
    page, sign_in, consultant, referral
):
    open_referral(page, sign_in, consultant, referral)
    question = page.get_by_label("Question for the referring GP")
    expect(question).to_be_hidden()
    expect(page.get_by_label("Redirect to treatment function")).to_be_hidden()

    page.get_by_label("P3 – within 3 months").check()
    page.get_by_label("Ask the referring GP").check()
    expect(question).to_be_visible()
    expect(page.get_by_label("Redirect to treatment function")).to_be_hidden()
    question.fill("Has the patient had an X-ray since March?")
    page.get_by_label("Clinical rationale").fill("Need imaging before deciding.")
    page.get_by_role("button", name="Save review").click()

    expect(page.get_by_text("Review saved.")).to_be_visible()
    expect(page.get_by_test_id("referral-status")).to_contain_text("Advice requested from GP")
    assert referral.advice_requests.get().question == "Has the patient had an X-ray since March?"


def test_the_contact_date_appears_for_p5_and_takes_day_month_and_year(
    page, sign_in, consultant, referral
):
    open_referral(page, sign_in, consultant, referral)
    day = page.get_by_label("Day", exact=True)
    expect(day).to_be_hidden()
    page.get_by_label("P5 – patient chose to wait (Covid concern)").check()
    expect(day).to_be_visible()
    when = timezone.localdate().replace(day=1).replace(year=timezone.localdate().year + 1)
    day.fill(str(when.day))
    page.get_by_label("Month", exact=True).fill(str(when.month))
    page.get_by_label("Year", exact=True).fill(str(when.year))
    page.get_by_label("Accept").check()
    page.get_by_label("Clinical rationale").fill("Patient prefers to wait until spring.")
    page.get_by_role("button", name="Save review").click()

    expect(page.get_by_text("Review saved.")).to_be_visible()
    referral.refresh_from_db()
    assert (referral.category, referral.contact_on) == ("P5", when)


def test_without_javascript_every_field_shows_and_the_review_saves(
    chromium, live_server, consultant, referral
):
    context = chromium.new_context(base_url=live_server.url, java_script_enabled=False)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        page.goto("/login/")
        page.get_by_label("Username").fill(consultant.username)
        page.get_by_label("Password").fill(DEFAULT_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/")
        page.goto(f"/triage/referrals/{referral.uuid}/")

        expect(page.get_by_label("Question for the referring GP")).to_be_visible()
        expect(page.get_by_label("Redirect to treatment function")).to_be_visible()
        expect(page.get_by_text("Only when the outcome is ‘Ask the referring GP’.")).to_be_visible()
        page.get_by_label("P2 – within 4 weeks").check()
        page.get_by_label("Accept").check()
        page.get_by_label("Clinical rationale").fill("Locking knee: assess within four weeks.")
        page.get_by_role("button", name="Save review").click()

        expect(page.get_by_text("Review saved.")).to_be_visible()
        referral.refresh_from_db()
        assert (referral.category, referral.status) == ("P2", "accepted")
    finally:
        context.close()


def test_an_urgent_return_is_saved_only_once_confirmed(page, sign_in, consultant, referral):
    open_referral(page, sign_in, consultant, referral)
    page.get_by_label("P1a – emergency, within 24 hours").check()
    page.get_by_label("Return to referrer with advice").check()
    page.get_by_label("Clinical rationale").fill("Not a surgical problem: manage in primary care.")
    page.get_by_role("button", name="Save review").click()

    expect(page.get_by_test_id("urgent-return-warning")).to_be_visible()
    assert page.title().startswith("Error: ")
    assert not Review.objects.exists()
    page.get_by_label("Yes, return it to the referrer").check()
    page.get_by_role("button", name="Save review").click()

    expect(page.get_by_text("Review saved.")).to_be_visible()
    referral.refresh_from_db()
    assert referral.status == "returned_to_referrer"


def test_a_question_left_filled_for_another_outcome_is_refused_and_kept(
    page, sign_in, consultant, referral
):
    open_referral(page, sign_in, consultant, referral)
    page.get_by_label("P3 – within 3 months").check()
    page.get_by_label("Ask the referring GP").check()
    page.get_by_label("Question for the referring GP").fill("Any recent bloods?")
    # The clinician changes their mind: the question is hidden, not cleared.
    page.get_by_label("Return to referrer with advice").check()
    expect(page.get_by_label("Question for the referring GP")).to_be_hidden()
    page.get_by_label("Clinical rationale").fill("Manage in primary care.")
    page.get_by_role("button", name="Save review").click()

    message = "Remove the question for the GP, or choose ‘Ask the referring GP’."
    expect(
        page.get_by_role("link", name=f"Question for the referring GP: {message}")
    ).to_be_visible()
    expect(page.get_by_label("Question for the referring GP")).to_have_value("Any recent bloods?")
    assert not Review.objects.exists()
