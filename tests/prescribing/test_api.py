"""/api/v1/prescribing/ (docs/product.md §7): budgets, prescriptions, FHIR and shared care,
with the same access rules as the pages; money is a decimal string in pounds."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import AuditAction, AuditEvent
from directory.models import Role
from prescribing.models import AgreementStatus, Prescription
from tests.factories import (
    CommunityClinicianFactory,
    ConsultantFactory,
    GPFactory,
    ManagerFactory,
    UserFactory,
)
from tests.helpers import api_client_for
from tests.prescribing.factories import AgreementFactory, BudgetFactory, PrescriptionFactory
from tests.prescribing.helpers import setting

pytestmark = pytest.mark.django_db
URL = "/api/v1/prescribing/"


def body_for(s, **overrides) -> dict:
    return {
        "nhs_number": s.patient.nhs_number,
        "pharmacy": s.pharmacy.ods_code,
        "budget": str(s.budget.uuid),
        "discharge": True,
        "short_supply_reason": "",
        "items": [
            {
                "medicine": "Amoxicillin 500mg capsules",
                "dmd_code": "39732311000001104",
                "quantity": 42,
                "days_supply": 14,
                "cost": "3.17",
            }
        ],
        **overrides,
    }


def post(user, path, body=None):
    return api_client_for(user).post(f"{URL}{path}", body or {}, format="json")


def get(user, path, **query):
    return api_client_for(user).get(f"{URL}{path}", query)


def budget(user, budget_obj) -> dict:
    return get(user, f"budgets/{budget_obj.uuid}/").json()


def test_a_consultant_issues_a_14_day_discharge_prescription_committing_exactly_its_cost():
    s = setting()
    member = s.budget.committee.first()
    before = Decimal(budget(member, s.budget)["committed"])
    response = post(s.consultant, "prescriptions/", body_for(s))
    assert response.status_code == 201, response.json()
    created = response.json()
    assert (created["status"], created["pharmacy"], created["total_cost"]) == (
        "issued",
        s.pharmacy.ods_code,
        "3.17",
    )
    assert Decimal(budget(member, s.budget)["committed"]) - before == Decimal("3.17")


def test_a_3_day_discharge_prescription_without_a_reason_is_400_naming_the_field():
    s = setting()
    body = body_for(s)
    body["items"][0]["days_supply"] = 3
    response = post(s.consultant, "prescriptions/", body)
    assert response.status_code == 400
    assert "short_supply_reason" in response.json()
    assert not Prescription.objects.exists()


def test_an_item_cost_of_more_than_two_decimal_places_is_400_naming_the_item_field():
    s = setting()
    body = body_for(s)
    body["items"][0]["cost"] = "0.105"
    response = post(s.consultant, "prescriptions/", body)
    assert response.status_code == 400
    # DRF names the item by its index: {"items": {"0": {"cost": [...]}}}.
    assert "cost" in response.json()["items"]["0"]


def test_a_cost_sent_as_a_json_number_is_kept_exact():
    s = setting()
    body = body_for(s, items=[{**body_for(s)["items"][0], "cost": 0.1}] * 3)
    response = post(s.consultant, "prescriptions/", body)
    assert response.json()["total_cost"] == "0.30"


def test_budget_figures_are_decimal_strings_of_pounds():
    s = setting()
    member = s.budget.committee.first()
    shown = budget(member, s.budget)
    assert shown["amount"] == "10000.00"
    assert {k: shown[k] for k in ("spent", "committed", "remaining")} == {
        "spent": "0.00",
        "committed": "0.00",
        "remaining": "10000.00",
    }
    assert isinstance(shown["forecast_outturn"], str)
    assert shown["committee"] == sorted(m.username for m in s.budget.committee.all())


def test_prescribing_under_an_agreement_the_gp_has_not_accepted_is_409():
    s = setting()
    agreement = AgreementFactory(patient=s.patient, consultant=s.consultant, gp=s.gp)
    response = post(s.consultant, "prescriptions/", body_for(s, shared_care=str(agreement.uuid)))
    assert response.status_code == 409
    assert response.json()["current"]["status"] == "proposed"
    assert not Prescription.objects.exists()


def test_the_gp_accepts_and_the_consultant_then_prescribes_under_the_agreement():
    s = setting()
    agreement = AgreementFactory(patient=s.patient, consultant=s.consultant, gp=s.gp)
    assert post(s.gp, f"shared-care/{agreement.uuid}/accept/").json()["status"] == "accepted"
    response = post(s.consultant, "prescriptions/", body_for(s, shared_care=str(agreement.uuid)))
    assert response.status_code == 201
    assert response.json()["shared_care"] == str(agreement.uuid)
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.ACTIVE


def test_only_that_gp_accepts_or_declines():
    s = setting()
    agreement = AgreementFactory(patient=s.patient, consultant=s.consultant, gp=s.gp)
    assert post(s.consultant, f"shared-care/{agreement.uuid}/accept/").status_code == 403
    colleague = GPFactory(organisation=s.patient.registered_practice)
    assert (
        post(colleague, f"shared-care/{agreement.uuid}/decline/", {"reason": "x"}).status_code
        == 404
    )


def test_a_decline_without_a_reason_is_400_naming_reason():
    s = setting()
    agreement = AgreementFactory(patient=s.patient, consultant=s.consultant, gp=s.gp)
    response = post(s.gp, f"shared-care/{agreement.uuid}/decline/", {})
    assert response.status_code == 400
    assert "reason" in response.json()


def test_a_consultant_proposes_shared_care_and_it_is_proposed():
    s = setting()
    response = post(
        s.consultant,
        "shared-care/",
        {
            "nhs_number": s.patient.nhs_number,
            "gp": s.gp.username,
            "medicine": "Azathioprine 50mg tablets",
            "monitoring": [{"test_type": "26604007", "interval_days": 28}],
        },
    )
    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["status"] == "proposed"
    assert created["monitoring"][0]["test_type"] == "26604007"
    assert created["monitoring"][0]["due_on"] is None


def test_a_monitoring_code_diagnostics_does_not_offer_is_400_naming_monitoring():
    s = setting()
    response = post(
        s.consultant,
        "shared-care/",
        {
            "nhs_number": s.patient.nhs_number,
            "gp": s.gp.username,
            "medicine": "Azathioprine 50mg tablets",
            "monitoring": [{"test_type": "999999999", "interval_days": 28}],
        },
    )
    assert response.status_code == 400
    assert "monitoring" in response.json()


def test_the_fhir_medication_request_carries_the_dmd_code_and_uk_core_identifiers():
    s = setting()
    created = post(s.consultant, "prescriptions/", body_for(s)).json()
    response = get(s.consultant, f"prescriptions/{created['id']}/fhir/")
    resource = response.json()
    assert response["Content-Type"].startswith("application/fhir+json")
    assert resource["resourceType"] == "MedicationRequest"
    assert resource["medicationCodeableConcept"]["coding"][0] == {
        "system": "https://dmd.nhs.uk",
        "code": "39732311000001104",
        "display": "Amoxicillin 500mg capsules",
    }
    assert resource["subject"]["identifier"] == {
        "system": "https://fhir.nhs.uk/Id/nhs-number",
        "value": s.patient.nhs_number,
    }
    assert resource["dispenseRequest"]["performer"]["identifier"] == {
        "system": "https://fhir.nhs.uk/Id/ods-organization-code",
        "value": s.pharmacy.ods_code,
    }
    assert resource["status"] == "active"
    assert resource["category"][0]["coding"][0]["code"] == "discharge"


def test_a_prescription_of_several_items_is_a_bundle_of_medication_requests():
    s = setting()
    body = body_for(s)
    body["items"] = body["items"] * 2
    created = post(s.consultant, "prescriptions/", body).json()
    bundle = get(s.consultant, f"prescriptions/{created['id']}/fhir/").json()
    assert bundle["resourceType"] == "Bundle"
    groups = {e["resource"]["groupIdentifier"]["value"] for e in bundle["entry"]}
    assert [e["resource"]["resourceType"] for e in bundle["entry"]] == ["MedicationRequest"] * 2
    assert groups == {created["id"]}


def test_the_prescriber_and_the_patients_gp_see_a_prescription_and_others_get_404():
    s = setting()
    prescription = PrescriptionFactory(patient=s.patient, prescriber=s.consultant, budget=s.budget)
    path = f"prescriptions/{prescription.uuid}/"
    for user in (s.consultant, s.gp):
        assert get(user, path).status_code == 200
    for user in (
        ConsultantFactory(organisation=s.consultant.organisation),
        CommunityClinicianFactory(),
        ManagerFactory(organisation=s.icb),
        UserFactory(role=Role.ADMIN, organisation=None),
    ):
        assert get(user, path).status_code == 404


def test_the_patients_gp_may_not_dispense_the_consultants_prescription():
    s = setting()
    prescription = PrescriptionFactory(patient=s.patient, prescriber=s.consultant, budget=s.budget)
    assert post(s.gp, f"prescriptions/{prescription.uuid}/dispense/").status_code == 403
    assert post(s.consultant, f"prescriptions/{prescription.uuid}/dispense/").json()["status"] == (
        "dispensed"
    )


def test_cancelling_a_dispensed_prescription_is_409():
    s = setting()
    prescription = PrescriptionFactory(patient=s.patient, prescriber=s.consultant, budget=s.budget)
    post(s.consultant, f"prescriptions/{prescription.uuid}/dispense/")
    response = post(s.consultant, f"prescriptions/{prescription.uuid}/cancel/", {"reason": "x"})
    assert response.status_code == 409


def test_the_prescription_list_audits_each_prescription_shown():
    s = setting()
    prescription = PrescriptionFactory(patient=s.patient, prescriber=s.consultant, budget=s.budget)
    rows = get(s.gp, "prescriptions/").json()["results"]
    assert [r["id"] for r in rows] == [str(prescription.uuid)]
    assert AuditEvent.objects.filter(
        action=AuditAction.LIST, patient=s.patient, user=s.gp, object_id=str(prescription.uuid)
    ).exists()


def test_a_manager_sets_up_a_budget_through_the_api():
    manager = ManagerFactory()
    icb = manager.organisation
    committee = [
        GPFactory(organisation__icb=icb),
        CommunityClinicianFactory(organisation__icb=icb),
        ConsultantFactory(organisation__icb=icb),
    ]
    response = post(
        manager,
        "budgets/",
        {
            "icb": icb.ods_code,
            "financial_year": "2026/27",
            "amount": "250000.50",
            "therapeutic_area": "Diabetes",
            "committee": [u.username for u in committee],
        },
    )
    assert response.status_code == 201, response.json()
    assert (response.json()["financial_year"], response.json()["amount"]) == (
        "2026/27",
        "250000.50",
    )


def test_a_committee_without_secondary_care_is_400_naming_committee():
    manager = ManagerFactory()
    icb = manager.organisation
    response = post(
        manager,
        "budgets/",
        {
            "icb": icb.ods_code,
            "financial_year": "2026/27",
            "amount": "1000.00",
            "committee": [
                GPFactory(organisation__icb=icb).username,
                CommunityClinicianFactory(organisation__icb=icb).username,
            ],
        },
    )
    assert response.status_code == 400
    assert "secondary care" in " ".join(response.json()["committee"])


def test_a_clinician_setting_up_a_budget_is_403():
    budget_obj = BudgetFactory()
    member = budget_obj.committee.first()
    assert post(member, "budgets/", {}).status_code == 403


def test_the_budget_list_filters_by_financial_year_and_refuses_a_bad_one():
    manager = ManagerFactory()
    mine = BudgetFactory(icb=manager.organisation)
    shown = get(
        manager,
        "budgets/",
        financial_year=f"{mine.financial_year}/{(mine.financial_year + 1) % 100:02d}",
    )
    assert [b["id"] for b in shown.json()["results"]] == [str(mine.uuid)]
    assert get(manager, "budgets/", financial_year="2026-27").status_code == 400


def queries_for(user, path, **query) -> int:
    client = api_client_for(user)
    client.get(f"{URL}{path}", query)  # warm: sessions, content types
    with CaptureQueriesContext(connection) as captured:
        assert client.get(f"{URL}{path}", query).status_code == 200
    return len(captured.captured_queries)


def test_a_page_of_prescriptions_costs_the_same_queries_whatever_its_size():
    s = setting()
    PrescriptionFactory.create_batch(
        10, patient=s.patient, prescriber=s.consultant, budget=s.budget
    )
    assert queries_for(s.consultant, "prescriptions/", page_size=1) == queries_for(
        s.consultant, "prescriptions/", page_size=10
    )


def test_a_page_of_agreements_costs_the_same_queries_whatever_its_size():
    s = setting()
    for status in ("proposed", "accepted", "active") * 3:
        AgreementFactory(patient=s.patient, consultant=s.consultant, gp=s.gp, status=status)
    assert queries_for(s.gp, "shared-care/", page_size=1) == queries_for(
        s.gp, "shared-care/", page_size=9
    )


def test_a_page_of_budgets_costs_the_same_queries_whatever_its_size():
    admin = UserFactory(role=Role.ADMIN, organisation=None)
    BudgetFactory.create_batch(5)
    assert queries_for(admin, "budgets/", page_size=1) == queries_for(
        admin, "budgets/", page_size=5
    )
