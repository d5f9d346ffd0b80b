"""Triage in a real browser: a consultant reviews from the queue; a GP answers advice."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import ConsultantFactory, GPFactory
from tests.triage.factories import AdviceRequestFactory, ReferralFactory
from triage.models import Referral

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_consultant_filters_the_queue_opens_the_top_referral_and_records_a_review(page, sign_in):
    consultant = ConsultantFactory()
    trust = consultant.organisation
    today = timezone.localdate()
    ReferralFactory(provider=trust, priority="routine", clock_start=today - timedelta(days=200))
    top = ReferralFactory(provider=trust, priority="urgent", clock_start=today - timedelta(days=20))
    ReferralFactory(provider=trust, priority="urgent", clock_start=today - timedelta(days=5))
    sign_in(consultant)

    page.goto("/triage/queue/")
    page.get_by_label("Category").select_option("P2")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**category=P2**")
    rows = page.get_by_test_id("queue-row")
    rows.first.wait_for()
    assert rows.count() == 2
    rows.first.get_by_test_id("patient-link").click()

    page.wait_for_url(f"**/triage/referrals/{top.uuid}/")
    page.get_by_label("P3 – within 3 months").check()
    page.get_by_label("Accept").check()
    page.get_by_label("Clinical rationale").fill("Stable symptoms: routine assessment.")
    page.get_by_role("button", name="Save review").click()

    # expect() waits for the POST and its redirect; is_visible() would look only once.
    expect(page.get_by_text("Review saved.")).to_be_visible()
    expect(page.get_by_test_id("referral-status")).to_contain_text("Accepted")
    top.refresh_from_db()
    assert (top.category, top.status) == ("P3", "accepted")


def test_gp_answers_an_advice_request(page, sign_in):
    advice = AdviceRequestFactory()
    gp = GPFactory(organisation=advice.practice)
    sign_in(gp)

    page.goto("/triage/worklists/advice/")
    page.get_by_role("link", name=advice.patient.full_name).click()
    page.get_by_label("Your answer").fill("Yes: X-ray in March showed moderate OA.")
    page.get_by_role("button", name="Send answer").click()

    expect(page.get_by_text("Answer sent.")).to_be_visible()
    expect(page.get_by_test_id("advice-answer")).to_contain_text("moderate OA")
    assert Referral.objects.get(pk=advice.referral_id).status == "under_review"
