"""The prescribing pages: forms, worklist, home card, navigation and the patient page."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from prescribing.models import AgreementStatus, Prescription, PrescriptionStatus
from tests.factories import (
    CommunityClinicianFactory,
    ConsultantFactory,
    GPFactory,
    ManagerFactory,
)
from tests.helpers import signed_in
from tests.prescribing.factories import AgreementFactory, PrescriptionFactory, this_financial_year
from tests.prescribing.helpers import setting

pytestmark = pytest.mark.django_db


def prescription_form(s, **overrides) -> dict:
    data = {
        "nhs_number": s.patient.nhs_number,
        "pharmacy": s.pharmacy.ods_code,
        "budget": str(s.budget.uuid),
        "discharge": "on",
        "short_supply_reason": "",
        "items-TOTAL_FORMS": "3",
        "items-INITIAL_FORMS": "0",
        "items-0-medicine": "Amoxicillin 500mg capsules",
        "items-0-dmd_code": "39732311000001104",
        "items-0-quantity": "21",
        "items-0-days_supply": "14",
        "items-0-cost": "4.20",
    }
    data.update(overrides)
    return data


def test_a_consultant_issues_a_discharge_prescription_from_the_form(client):
    s = setting()
    signed_in(client, s.consultant)
    response = client.post(reverse("prescribing:prescription-new"), prescription_form(s))
    prescription = Prescription.objects.get()
    assert response.url == reverse("prescribing:prescription-detail", args=[prescription.uuid])
    assert prescription.total_cost == Decimal("4.20")
    assert prescription.discharge


def test_a_3_day_discharge_without_a_reason_shows_the_error_on_the_reason_field(client):
    s = setting()
    signed_in(client, s.consultant)
    response = client.post(
        reverse("prescribing:prescription-new"),
        prescription_form(s, **{"items-0-days_supply": "3"}),
    )
    assert response.status_code == 400
    assert "short_supply_reason" in response.context["form"].errors
    assert 'href="#id_short_supply_reason"' in response.content.decode()
    assert not Prescription.objects.exists()


def test_an_empty_prescription_form_names_what_is_missing(client):
    s = setting()
    signed_in(client, s.consultant)
    response = client.post(
        reverse("prescribing:prescription-new"),
        {"items-TOTAL_FORMS": "3", "items-INITIAL_FORMS": "0"},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in body
    assert "Add at least one item." in body


def test_prescribing_from_the_browser_under_an_agreement_not_yet_accepted_is_refused(client):
    s = setting()
    agreement = AgreementFactory(patient=s.patient, consultant=s.consultant, gp=s.gp)
    signed_in(client, s.consultant)
    response = client.post(
        reverse("prescribing:prescription-new"),
        prescription_form(s, shared_care=str(agreement.uuid)),
    )
    assert response.status_code == 400
    assert "has not accepted" in response.content.decode()
    assert not Prescription.objects.exists()


def test_the_gp_accepts_a_proposal_from_their_worklist(client):
    s = setting()
    agreement = AgreementFactory(patient=s.patient, consultant=s.consultant, gp=s.gp)
    signed_in(client, s.gp)
    worklist = client.get(reverse("prescribing:shared-care")).content.decode()
    assert reverse("prescribing:shared-care-detail", args=[agreement.uuid]) in worklist
    response = client.post(
        reverse("prescribing:shared-care-action", args=[agreement.uuid, "accept"])
    )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.ACCEPTED


def test_the_gp_declines_with_a_reason_shown_on_the_agreement(client):
    s = setting()
    agreement = AgreementFactory(patient=s.patient, consultant=s.consultant, gp=s.gp)
    signed_in(client, s.gp)
    client.post(
        reverse("prescribing:shared-care-action", args=[agreement.uuid, "decline"]),
        {"decline-reason": "We cannot do fortnightly bloods."},
    )
    signed_in(client, s.consultant)
    page = client.get(reverse("prescribing:shared-care-detail", args=[agreement.uuid]))
    assert "We cannot do fortnightly bloods." in page.content.decode()


def test_a_decline_without_a_reason_is_a_form_error(client):
    s = setting()
    agreement = AgreementFactory(patient=s.patient, consultant=s.consultant, gp=s.gp)
    signed_in(client, s.gp)
    response = client.post(
        reverse("prescribing:shared-care-action", args=[agreement.uuid, "decline"]),
        {"decline-reason": ""},
    )
    assert response.status_code == 400
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.PROPOSED


def test_an_active_agreements_monitoring_links_to_the_diagnostics_booking_page(client):
    s = setting()
    agreement = AgreementFactory(
        patient=s.patient, consultant=s.consultant, gp=s.gp, status=AgreementStatus.ACTIVE
    )
    signed_in(client, s.gp)
    page = client.get(reverse("prescribing:shared-care-detail", args=[agreement.uuid]))
    link = f"/diagnostics/book/?nhs_number={s.patient.nhs_number}&amp;test_type=26604007"
    assert link in page.content.decode()


def test_a_consultant_proposes_shared_care_from_the_form(client):
    s = setting()
    signed_in(client, s.consultant)
    response = client.post(
        reverse("prescribing:shared-care-new"),
        {
            "nhs_number": s.patient.nhs_number,
            "gp": s.gp.username,
            "medicine": "Mycophenolate 500mg tablets",
            "monitoring-TOTAL_FORMS": "3",
            "monitoring-INITIAL_FORMS": "0",
            "monitoring-0-test_type": "26604007",
            "monitoring-0-interval_days": "28",
        },
    )
    assert response.status_code == 302
    agreement = s.patient.shared_care_agreements.get()
    assert [(m.test_type, m.interval_days) for m in agreement.monitoring.all()] == [
        ("26604007", 28)
    ]


def test_the_gps_home_page_shows_proposals_awaiting_them(client):
    s = setting()
    AgreementFactory(patient=s.patient, consultant=s.consultant, gp=s.gp)
    signed_in(client, s.gp)
    body = client.get(reverse("home")).content.decode()
    assert "1 shared care proposal awaits your decision." in body
    assert s.patient.full_name in body


def test_the_gps_navigation_counts_proposals_awaiting_them(client):
    s = setting()
    AgreementFactory(patient=s.patient, consultant=s.consultant, gp=s.gp)
    signed_in(client, s.gp)
    items = {i.label: i.count for i in client.get(reverse("home")).context["nav_items"]}
    assert items["Prescribing"] == 1


def test_the_dispense_button_records_dispensing(client):
    s = setting()
    prescription = PrescriptionFactory(patient=s.patient, prescriber=s.consultant, budget=s.budget)
    signed_in(client, s.consultant)
    client.post(reverse("prescribing:prescription-action", args=[prescription.uuid, "dispense"]))
    prescription.refresh_from_db()
    assert prescription.status == PrescriptionStatus.DISPENSED


def test_the_patient_page_shows_the_prescribers_prescriptions(client):
    s = setting()
    prescription = PrescriptionFactory(patient=s.patient, prescriber=s.consultant, budget=s.budget)
    signed_in(client, s.consultant)
    body = client.get(reverse("patient-detail", args=[s.patient.uuid])).content.decode()
    assert reverse("prescribing:prescription-detail", args=[prescription.uuid]) in body
    assert "Propose shared care" in body


def test_a_manager_sets_up_a_budget_from_the_form(client):
    manager = ManagerFactory()
    icb = manager.organisation
    members = [
        GPFactory(organisation__icb=icb),
        CommunityClinicianFactory(organisation__icb=icb),
        ConsultantFactory(organisation__icb=icb),
    ]
    signed_in(client, manager)
    response = client.post(
        reverse("prescribing:budget-new"),
        {
            "icb": icb.ods_code,
            "financial_year": str(this_financial_year()),
            "amount": "120000.00",
            "therapeutic_area": "Respiratory",
            "committee": ", ".join(m.username for m in members),
        },
    )
    assert response.status_code == 302
    assert icb.prescribing_budgets.get().amount == Decimal("120000.00")


def test_a_committee_missing_a_sector_is_an_error_on_the_committee_field(client):
    manager = ManagerFactory()
    icb = manager.organisation
    signed_in(client, manager)
    response = client.post(
        reverse("prescribing:budget-new"),
        {
            "icb": icb.ods_code,
            "financial_year": str(this_financial_year()),
            "amount": "120000.00",
            "committee": GPFactory(organisation__icb=icb).username,
        },
    )
    assert response.status_code == 400
    errors = " ".join(response.context["form"].errors["committee"])
    assert "community care and secondary care" in errors


def test_the_budget_page_shows_the_position(client):
    s = setting()
    PrescriptionFactory(
        patient=s.patient, prescriber=s.consultant, budget=s.budget, total_cost=Decimal("12.50")
    )
    signed_in(client, s.budget.committee.first())
    body = client.get(reverse("prescribing:budget-detail", args=[s.budget.uuid])).content.decode()
    assert "£12.50" in body
    assert "£9987.50" in body
