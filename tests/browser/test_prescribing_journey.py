"""Shared care in a real browser (docs/product.md §4): the consultant proposes shared care, the
GP accepts it from their worklist, and the consultant issues the first prescription under it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from prescribing.models import AgreementStatus, Prescription, SharedCareAgreement
from tests.prescribing.helpers import setting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/login/**")


def test_consultant_proposes_gp_accepts_from_worklist_consultant_prescribes_first(page, sign_in):
    s = setting()

    # The consultant proposes shared care of methotrexate, with blood counts every 28 days.
    sign_in(s.consultant)
    page.goto(f"/prescribing/shared-care/new/?nhs_number={s.patient.nhs_number}")
    page.get_by_label("The patient's GP").fill(s.gp.username)
    page.get_by_label("Medicine").fill("Methotrexate 2.5mg tablets")
    page.locator("#id_monitoring-0-test_type").select_option("26604007")
    page.locator("#id_monitoring-0-interval_days").fill("28")
    page.get_by_role("button", name="Propose shared care").click()
    expect(page.get_by_text("Shared care proposed")).to_be_visible()
    expect(page.get_by_test_id("agreement-status")).to_contain_text("Proposed")
    agreement = SharedCareAgreement.objects.get(patient=s.patient)
    sign_out(page)

    # The GP finds it on their home page and their worklist, and accepts it.
    sign_in(s.gp)
    expect(page.get_by_test_id("home-shared-care-proposals")).to_contain_text(
        "1 shared care proposal"
    )
    page.get_by_role("link", name="Answer shared care proposals").click()
    page.get_by_test_id("shared-care-awaiting").get_by_role(
        "link", name=s.patient.full_name
    ).click()
    page.wait_for_url(f"**/prescribing/shared-care/{agreement.uuid}/")
    page.get_by_role("button", name="Accept shared care").click()
    expect(page.get_by_text("Shared care accepted")).to_be_visible()
    expect(page.get_by_test_id("agreement-status")).to_contain_text("Accepted by the GP")
    sign_out(page)

    # The consultant issues the first prescription under it: the agreement becomes active.
    sign_in(s.consultant)
    page.goto(f"/prescribing/shared-care/{agreement.uuid}/")
    page.get_by_test_id("prescribe-under").click()
    expect(page.get_by_test_id("under-shared-care")).to_be_visible()
    page.get_by_label("Nominated pharmacy").fill(s.pharmacy.ods_code)
    page.get_by_label("Joint budget charged").select_option(str(s.budget.uuid))
    page.locator("#id_items-0-quantity").fill("24")
    page.locator("#id_items-0-days_supply").fill("28")
    page.locator("#id_items-0-cost").fill("1.32")
    page.get_by_role("button", name="Issue prescription").click()
    expect(page.get_by_text("Prescription issued")).to_be_visible()
    expect(page.get_by_test_id("prescription-total")).to_contain_text("£1.32")

    prescription = Prescription.objects.get()
    agreement.refresh_from_db()
    assert prescription.shared_care == agreement
    assert prescription.total_cost == Decimal("1.32")
    assert agreement.status == AgreementStatus.ACTIVE
