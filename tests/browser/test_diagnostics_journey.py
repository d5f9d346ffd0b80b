"""The diagnostics acceptance journey in Chromium (docs/product.md §3): a GP books an ECG at a
community hub from the patient's referral; the hub records an abnormal result; the consultant
the patient is referred to sees it on the referral's page; the GP, who asked for it, finds it
on their results worklist and acknowledges it. (If the GP does not, ``run_sweeps`` raises one
alert: tests/diagnostics/web/test_result_alert_journey.py.)"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from diagnostics.models import Booking, Result, Slot
from tests.browser.conftest import TIMEOUT_MS
from tests.diagnostics.factories import ECG, FBC, SlotFactory, test_type
from tests.factories import (
    DEFAULT_PASSWORD,
    ConsultantFactory,
    DiagnosticHubFactory,
    DiagnosticsStaffFactory,
    GPFactory,
    PatientFactory,
)
from tests.triage.factories import ReferralFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browse(chromium, live_server):
    """A signed-in page per user, each in a browser context of its own."""
    contexts = []

    def _browse(user):
        context = chromium.new_context(base_url=live_server.url)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.goto("/login/")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(DEFAULT_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/")
        return page

    yield _browse
    for context in contexts:
        context.close()


def test_an_ecg_booked_by_a_gp_is_reported_abnormal_seen_by_the_consultant_and_acknowledged(
    browse,
):
    gp = GPFactory(first_name="Amara", last_name="Okafor")
    patient = PatientFactory(registered_practice=gp.organisation)
    consultant = ConsultantFactory(first_name="Priya", last_name="Raman")
    referral = ReferralFactory(
        patient=patient, provider=consultant.organisation, referring_clinician=gp
    )
    hub = DiagnosticHubFactory(name="Mile End Community Diagnostic Centre", icb=gp.organisation.icb)
    staff = DiagnosticsStaffFactory(organisation=hub)
    slot = SlotFactory(
        hub=hub,
        test_type=test_type(ECG),
        capacity=2,
        starts_at=(timezone.now() + datetime.timedelta(days=2)).replace(second=0, microsecond=0),
    )
    SlotFactory(hub=hub, test_type=test_type(FBC))  # another test: not offered for an ECG

    # 1. The GP books an ECG at the hub, from the patient's referral.
    page = browse(gp)
    page.goto(f"/triage/referrals/{referral.uuid}/")
    page.get_by_test_id("referral-tests").get_by_role("link", name="Book a test").click()
    expect(page.get_by_label("Patient's NHS number")).to_have_value(patient.nhs_number)
    page.get_by_label("Test").select_option(label="Electrocardiogram (ECG)")
    page.get_by_label("Diagnostic hub").select_option(label=f"{hub.name} ({hub.ods_code})")
    page.get_by_role("button", name="Find free appointments").click()
    choices = page.get_by_test_id("slot-choices").get_by_role("radio")
    expect(choices).to_have_count(1)
    choices.first.check()
    expect(page.get_by_label("Referral this test is for (optional)")).to_have_value(
        str(referral.uuid)
    )
    page.get_by_label("Reason for the test").fill("Palpitations on exertion; query AF.")
    page.get_by_role("button", name="Book this appointment").click()
    expect(page.get_by_text("Test booked.")).to_be_visible()
    booking = Booking.objects.get()
    assert (booking.slot_id, booking.referral_id, booking.requester_id) == (
        slot.pk,
        referral.pk,
        gp.pk,
    )

    # The appointment comes round: it started ten minutes ago.
    Slot.objects.filter(pk=slot.pk).update(
        starts_at=timezone.now() - datetime.timedelta(minutes=10)
    )

    # 2. The hub's staff record an abnormal result from their day's list.
    hub_page = browse(staff)
    hub_page.get_by_role("link", name="Hub bookings").click()
    hub_page.get_by_test_id("hub-bookings").get_by_role("link", name=patient.full_name).click()
    hub_page.get_by_label("Abnormal").check()
    hub_page.get_by_label("Report").fill("Atrial fibrillation, ventricular rate about 110.")
    hub_page.get_by_role("button", name="Record result").click()
    expect(hub_page.get_by_text("Result recorded.")).to_be_visible()
    result = Result.objects.get()
    assert (result.abnormal, result.responsible_id) == (True, gp.pk)

    # 3. The consultant the patient is referred to sees it on the referral's page.
    consultant_page = browse(consultant)
    consultant_page.goto(f"/triage/referrals/{referral.uuid}/")
    tests = consultant_page.get_by_test_id("referral-tests")
    expect(tests.get_by_test_id("test-result")).to_contain_text("Abnormal")
    expect(tests.get_by_test_id("test-result")).to_contain_text("Atrial fibrillation")
    expect(tests).to_contain_text("This referral")

    # 4. The GP finds it on their results worklist and acknowledges it.
    page.goto("/")
    expect(
        page.get_by_test_id("home-diagnostics-results").get_by_test_id("home-count")
    ).to_have_text("1")
    page.get_by_role("link", name="See your results worklist").click()
    page.get_by_test_id("results-to-acknowledge").get_by_role(
        "link", name=patient.full_name
    ).click()
    page.get_by_label("Action taken").fill("Started anticoagulation; cardiology referral.")
    page.get_by_role("button", name="Acknowledge").click()
    expect(page.get_by_text("Result acknowledged.")).to_be_visible()
    expect(page.get_by_test_id("result-acknowledged")).to_contain_text("Started anticoagulation")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Results").click()
    expect(page.get_by_test_id("results-none")).to_be_visible()
    result.refresh_from_db()
    assert result.acknowledged_by_id == gp.pk
