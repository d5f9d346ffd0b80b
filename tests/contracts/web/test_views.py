"""The contracts pages (docs/product.md §5): recording events, fulfilling, reporting breaches,
the letter, compliance; each role's access and the form errors."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from contracts.models import BreachReport, Discharge, Obligation, ObligationStatus
from tests.contracts.factories import (
    BreachReportFactory,
    DischargeFactory,
    ObligationFactory,
    at_hours_ago,
)
from tests.factories import (
    ConsultantFactory,
    DiagnosticsStaffFactory,
    GPFactory,
    ManagerFactory,
    PatientFactory,
    TrustFactory,
)
from tests.helpers import signed_in
from tests.triage.factories import ReferralFactory

pytestmark = pytest.mark.django_db


def date_fields(name: str, at) -> dict:
    local = timezone.localtime(at)
    return {
        f"{name}_0": local.day,
        f"{name}_1": local.month,
        f"{name}_2": local.year,
        f"{name}_3": local.hour,
        f"{name}_4": local.minute,
    }


def test_a_consultant_records_a_discharge_and_sees_its_obligations(client):
    consultant = signed_in(client, ConsultantFactory())
    patient = PatientFactory()
    ReferralFactory(patient=patient, provider=consultant.organisation)
    response = client.post(
        reverse("contracts:discharge-new"),
        {
            "nhs_number": patient.nhs_number_display,
            "kind": "inpatient",
            **date_fields("discharged_at", at_hours_ago(4)),
            "medication_days": "10",
            "fit_note": "issued",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "Discharge recorded: 3 obligation(s) opened." in response.content.decode()
    assert Discharge.objects.get().patient == patient
    assert response.content.decode().count('data-testid="obligation-row"') == 3


def test_the_discharge_form_names_each_wrong_field(client):
    signed_in(client, ConsultantFactory())
    response = client.post(
        reverse("contracts:discharge-new"),
        {
            "nhs_number": "123",
            "discharged_at_0": "31",
            "discharged_at_1": "2",
            "discharged_at_2": "2026",
        },
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in body
    assert "NHS number: Enter an NHS number of 10 digits" in body
    assert "Discharged at: The day must be a real day of that month" in body
    assert not Discharge.objects.exists()


def test_a_gp_may_not_record_a_discharge(client):
    signed_in(client, GPFactory())
    assert client.get(reverse("contracts:discharge-new")).status_code == 403


def test_an_attendance_needing_gp_action_opens_the_clinic_letter(client):
    consultant = signed_in(client, ConsultantFactory())
    patient = PatientFactory()
    ReferralFactory(patient=patient, provider=consultant.organisation)
    client.post(
        reverse("contracts:attendance-new"),
        {
            "nhs_number": patient.nhs_number,
            **date_fields("attended_at", at_hours_ago(1)),
            "gp_action_needed": "on",
            "fit_note": "not_needed",
        },
    )
    assert Obligation.objects.get().duty == "clinic_letter"


def test_the_provider_records_a_summary_that_clears_an_overdue_obligation(client):
    obligation = ObligationFactory(
        discharge=DischargeFactory(discharged_at=at_hours_ago(30)),
        status=ObligationStatus.OVERDUE,
        overdue_at=at_hours_ago(5),
    )
    signed_in(client, ConsultantFactory(organisation=obligation.provider))
    response = client.post(
        reverse("contracts:obligation-fulfil", args=[obligation.uuid]),
        {"note": "Sent."},
        follow=True,
    )
    assert "Recorded: the obligation is met late." in response.content.decode()
    obligation.refresh_from_db()
    assert obligation.status == ObligationStatus.MET_LATE


def test_fulfilling_in_the_future_shows_the_error_on_the_field(client):
    obligation = ObligationFactory()
    signed_in(client, ConsultantFactory(organisation=obligation.provider))
    later = timezone.now() + timezone.timedelta(days=2)
    response = client.post(
        reverse("contracts:obligation-fulfil", args=[obligation.uuid]), date_fields("at", later)
    )
    assert response.status_code == 400
    assert "It is in the future." in response.content.decode()


def test_the_gp_sees_the_obligation_but_gets_no_fulfil_form_and_403_on_post(client):
    obligation = ObligationFactory()
    signed_in(client, GPFactory(organisation=obligation.patient.registered_practice))
    page = client.get(reverse("contracts:obligation-detail", args=[obligation.uuid]))
    assert page.status_code == 200
    assert "Record what fulfils it" not in page.content.decode()
    response = client.post(reverse("contracts:obligation-fulfil", args=[obligation.uuid]), {})
    assert response.status_code == 403


def test_a_manager_sees_pseudonymised_rows_and_no_record(client):
    obligation = ObligationFactory()
    signed_in(client, ManagerFactory(organisation=obligation.provider.icb))
    body = client.get(reverse("contracts:obligations")).content.decode()
    assert "PSN-" in body
    assert obligation.patient.nhs_number not in body
    assert obligation.patient.family_name not in body
    detail = client.get(reverse("contracts:obligation-detail", args=[obligation.uuid]))
    assert detail.status_code == 404


def test_diagnostics_staff_may_not_use_the_obligation_pages(client):
    signed_in(client, DiagnosticsStaffFactory())
    assert client.get(reverse("contracts:obligations")).status_code == 403
    assert client.get(reverse("contracts:compliance")).status_code == 403


def test_the_list_audits_each_row_shown_to_a_clinician(client):
    obligation = ObligationFactory()
    user = signed_in(client, ConsultantFactory(organisation=obligation.provider))
    client.get(reverse("contracts:obligations"))
    assert AuditEvent.objects.filter(user=user, patient=obligation.patient, action="list").exists()


def test_a_gp_reports_a_breach_and_lands_on_the_drafted_letter(client):
    gp = signed_in(client, GPFactory())
    patient = PatientFactory(registered_practice=gp.organisation)
    trust = TrustFactory()
    response = client.post(
        reverse("contracts:breach-report-new"),
        {
            "duty": "rereferral_after_dna",
            "provider": trust.ods_code,
            "nhs_number": patient.nhs_number,
            "occurred_on_0": "4",
            "occurred_on_1": "2",
            "occurred_on_2": "2026",
            "description": "Discharged after a DNA; asked us to re-refer.",
        },
        follow=True,
    )
    body = response.content.decode()
    assert "Breach reported." in body
    report = BreachReport.objects.get()
    assert report.provider == trust
    assert "4 February 2026" in body


def test_the_gp_edits_the_letter_and_downloads_it(client):
    report = BreachReportFactory()
    signed_in(client, report.reported_by)
    client.post(
        reverse("contracts:breach-report-letter", args=[report.uuid]),
        {"letter": "Dear all,\nEdited."},
    )
    download = client.get(reverse("contracts:breach-report-download", args=[report.uuid]))
    assert download["Content-Disposition"].startswith("attachment;")
    assert download.content.decode() == "Dear all,\nEdited.\n"
    assert AuditEvent.objects.filter(action="export", object_type="breach_report").exists()


def test_the_print_page_shows_the_letter_alone(client):
    report = BreachReportFactory(letter="To: the trust\n\nDear colleagues,")
    signed_in(client, report.reported_by)
    body = client.get(reverse("contracts:breach-report-print", args=[report.uuid])).content.decode()
    assert "Dear colleagues," in body
    assert "nhsuk-header" not in body


def test_the_provider_reads_the_report_without_an_edit_form(client):
    report = BreachReportFactory()
    signed_in(client, ConsultantFactory(organisation=report.provider))
    body = client.get(
        reverse("contracts:breach-report-detail", args=[report.uuid])
    ).content.decode()
    assert "Save the letter" not in body
    assert (
        client.post(
            reverse("contracts:breach-report-letter", args=[report.uuid]), {"letter": "x"}
        ).status_code
        == 403
    )


def test_another_practice_gets_404_for_the_report(client):
    report = BreachReportFactory()
    signed_in(client, GPFactory())
    assert (
        client.get(reverse("contracts:breach-report-detail", args=[report.uuid])).status_code == 404
    )


def test_compliance_page_shows_rates_and_links_to_csv(client):
    trust = TrustFactory()
    ObligationFactory(discharge=DischargeFactory(provider=trust, discharged_at=at_hours_ago(30)))
    signed_in(client, ManagerFactory(organisation=trust.icb))
    body = client.get(reverse("contracts:compliance")).content.decode()
    assert 'data-testid="compliance-row"' in body
    assert "0%" in body
    assert "/api/v1/contracts/compliance/?format=csv" in body


def test_the_patient_page_shows_the_patients_obligations(client):
    obligation = ObligationFactory()
    signed_in(client, ConsultantFactory(organisation=obligation.provider))
    body = client.get(reverse("patient-detail", args=[obligation.patient.uuid])).content.decode()
    assert "Contract obligations" in body
    assert str(obligation.uuid) in body


def test_home_cards_count_overdue_obligations(client):
    obligation = ObligationFactory(discharge=DischargeFactory(discharged_at=at_hours_ago(30)))
    signed_in(client, ConsultantFactory(organisation=obligation.provider))
    body = client.get(reverse("home")).content.decode()
    assert "Contract obligations overdue" in body
    assert "1 obligation of your organisation is past due" in body
