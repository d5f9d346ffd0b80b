"""Contract obligations in a real browser (docs/product.md §5): a GP reports a breach, edits the
drafted letter, downloads and prints it; a provider records the discharge summary that clears an
overdue obligation."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from contracts.models import BreachReport, Obligation, ObligationStatus
from contracts.services.overdue import obligations_mark_overdue
from tests.contracts.factories import DischargeFactory, ObligationFactory, at_hours_ago
from tests.factories import ConsultantFactory, GPFactory, PatientFactory, TrustFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_gp_reports_a_breach_edits_the_letter_downloads_and_prints_it(page, sign_in):
    gp = GPFactory()
    patient = PatientFactory(registered_practice=gp.organisation)
    trust = TrustFactory(name="Barts Health NHS Trust", ods_code="R1H")
    sign_in(gp)

    page.goto("/contracts/breach-reports/new/")
    page.get_by_label("GP asked to re-refer after a DNA").check()
    page.get_by_label("Provider", exact=True).fill(trust.ods_code)
    page.get_by_label("NHS number").fill(patient.nhs_number_display)
    page.get_by_label("Day").fill("9")
    page.get_by_label("Month").fill("2")
    page.get_by_label("Year").fill("2026")
    page.get_by_label("What happened").fill("Letter after the DNA asked us to re-refer.")
    page.get_by_role("button", name="Report and draft the letter").click()

    expect(page.get_by_text("Breach reported.")).to_be_visible()
    letter = page.get_by_label("Letter to the trust and the ICB")
    expect(letter).to_be_visible()
    drafted = letter.input_value()
    assert "To: Barts Health NHS Trust (R1H)" in drafted
    assert "9 February 2026" in drafted
    assert f"NHS number {patient.nhs_number_display}" in drafted

    letter.fill(drafted.replace("Dear colleagues,", "Dear Dr Raman and colleagues,"))
    page.get_by_role("button", name="Save the letter").click()
    expect(page.get_by_text("Letter saved.")).to_be_visible()
    report = BreachReport.objects.get()
    assert "Dear Dr Raman and colleagues," in report.letter

    with page.expect_download() as download_info:
        page.get_by_test_id("download-letter").click()
    download = download_info.value
    assert download.suggested_filename.startswith("breach-letter-")
    assert "Dear Dr Raman and colleagues," in Path(download.path()).read_text(encoding="utf-8")

    page.get_by_test_id("print-letter").click()
    expect(page.get_by_test_id("letter-text")).to_contain_text("Dear Dr Raman and colleagues,")
    page.evaluate("() => { window.print = () => { window.appPrinted = true; }; }")
    page.get_by_role("button", name="Print this letter").click()
    assert page.evaluate("() => window.appPrinted === true")


def test_provider_records_the_discharge_summary_that_clears_an_overdue_obligation(page, sign_in):
    trust = TrustFactory()
    consultant = ConsultantFactory(organisation=trust)
    obligation = ObligationFactory(
        discharge=DischargeFactory(provider=trust, discharged_at=at_hours_ago(30))
    )
    obligations_mark_overdue()
    sign_in(consultant)

    page.goto("/")
    page.get_by_test_id("home-contracts-overdue").get_by_role(
        "link", name="Record what was sent"
    ).click()
    rows = page.get_by_test_id("obligation-row")
    expect(rows).to_have_count(1)
    expect(rows.first.get_by_test_id("obligation-status")).to_have_text("Overdue")
    rows.first.get_by_test_id("obligation-link").click()

    page.get_by_label("What was sent or done (optional)").fill("Summary sent by the ward.")
    page.get_by_role("button", name="Record it").click()

    expect(page.get_by_text("Recorded: the obligation is met late.")).to_be_visible()
    expect(page.get_by_test_id("obligation-status")).to_have_text("Met late")
    obligation.refresh_from_db()
    assert obligation.status == ObligationStatus.MET_LATE
    page.goto("/contracts/obligations/?status=overdue")
    expect(page.get_by_text("No obligations match.")).to_be_visible()
    assert not Obligation.objects.filter(status=ObligationStatus.OVERDUE).exists()
