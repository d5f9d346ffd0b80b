"""Diagnostics API: results, acknowledgement, transfer and FHIR (docs/product.md §3, §7)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEvent
from tests.diagnostics.factories import ResultFactory
from tests.factories import (
    ConsultantFactory,
    DiagnosticsStaffFactory,
    GPFactory,
    ManagerFactory,
)
from tests.helpers import api_client_for
from tests.triage.factories import ReferralFactory

pytestmark = pytest.mark.django_db


def url(name, **kwargs):
    return reverse(name, kwargs=kwargs)


def ids(response) -> list[str]:
    return [row["id"] for row in response.json()["results"]]


def test_results_list_has_the_contract_fields():
    result = ResultFactory()
    response = api_client_for(result.responsible).get(url("api-diagnostics-results"))
    row = response.json()["results"][0]
    assert {
        "id",
        "booking",
        "test_type",
        "abnormal",
        "summary",
        "reported_at",
        "responsible",
        "acknowledged_at",
        "action",
    } <= set(row)


def test_result_is_visible_to_the_patients_gp_whoever_requested_it():
    referral = ReferralFactory()
    consultant = ConsultantFactory(organisation=referral.provider)
    result = ResultFactory(
        booking__patient=referral.patient,
        booking__requester=consultant,
    )
    gp = GPFactory(organisation=referral.patient.registered_practice)
    assert ids(api_client_for(gp).get(url("api-diagnostics-results"))) == [str(result.uuid)]


def test_result_is_visible_to_the_hub_that_did_the_test():
    result = ResultFactory()
    staff = DiagnosticsStaffFactory(organisation=result.booking.slot.hub)
    assert ids(api_client_for(staff).get(url("api-diagnostics-results"))) == [str(result.uuid)]


def test_results_are_hidden_from_unrelated_clinicians_and_managers():
    ResultFactory()
    for user in (GPFactory(), ConsultantFactory(), DiagnosticsStaffFactory(), ManagerFactory()):
        assert ids(api_client_for(user).get(url("api-diagnostics-results"))) == []


def test_results_list_is_audited_one_event_per_row():
    result = ResultFactory()
    api_client_for(result.responsible).get(url("api-diagnostics-results"))
    assert AuditEvent.objects.filter(
        action="list", object_id=str(result.uuid), patient_id=result.booking.patient_id
    ).exists()


def test_results_filtered_by_responsible_me_and_unacknowledged():
    mine = ResultFactory()
    gp = mine.responsible
    ResultFactory(
        booking__patient=mine.booking.patient,
        acknowledged_at="2026-01-01T00:00:00Z",
        acknowledged_by=gp,
        responsible=gp,
    )
    other = ResultFactory(booking__patient=mine.booking.patient)
    client = api_client_for(gp)
    assert ids(
        client.get(url("api-diagnostics-results"), {"responsible": "me", "acknowledged": "false"})
    ) == [str(mine.uuid)]
    assert ids(
        client.get(url("api-diagnostics-results"), {"responsible": other.responsible.username})
    ) == [str(other.uuid)]


def test_results_filtered_by_nhs_number():
    result = ResultFactory()
    client = api_client_for(result.responsible)
    nhs = result.booking.patient.nhs_number
    assert ids(
        client.get(
            url("api-diagnostics-results"), {"nhs_number": f"{nhs[:3]} {nhs[3:6]} {nhs[6:]}"}
        )
    ) == [str(result.uuid)]
    assert ids(client.get(url("api-diagnostics-results"), {"nhs_number": "9990000000"})) == []


def test_responsible_clinician_acknowledges_through_the_api():
    result = ResultFactory()
    response = api_client_for(result.responsible).post(
        url("api-diagnostics-result-acknowledge", result_id=result.uuid),
        {"action": "Start iron; repeat FBC in 4 weeks."},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["action"] == "Start iron; repeat FBC in 4 weeks."
    assert response.json()["acknowledged_at"] is not None


def test_acknowledging_twice_is_409():
    result = ResultFactory()
    client = api_client_for(result.responsible)
    target = url("api-diagnostics-result-acknowledge", result_id=result.uuid)
    client.post(target, {"action": "Seen."}, format="json")
    assert client.post(target, {"action": "Seen."}, format="json").status_code == 409


def test_a_gp_who_may_see_but_is_not_responsible_gets_403_acknowledging():
    result = ResultFactory()
    colleague = GPFactory(organisation=result.booking.patient.registered_practice)
    response = api_client_for(colleague).post(
        url("api-diagnostics-result-acknowledge", result_id=result.uuid),
        {"action": "x"},
        format="json",
    )
    assert response.status_code == 403


def test_transfer_offered_then_accepted_through_the_api():
    result = ResultFactory()
    referral = ReferralFactory(patient=result.booking.patient)
    consultant = ConsultantFactory(organisation=referral.provider)
    offered = api_client_for(result.responsible).post(
        url("api-diagnostics-result-transfer", result_id=result.uuid),
        {"to": consultant.username},
        format="json",
    )
    assert (offered.status_code, offered.json()["transfer_to"]) == (200, consultant.username)
    accepted = api_client_for(consultant).post(
        url("api-diagnostics-result-accept-transfer", result_id=result.uuid)
    )
    assert accepted.status_code == 200
    assert (accepted.json()["responsible"], accepted.json()["transfer_to"]) == (
        consultant.username,
        None,
    )


def test_transfer_to_an_unknown_user_is_400_naming_to():
    result = ResultFactory()
    response = api_client_for(result.responsible).post(
        url("api-diagnostics-result-transfer", result_id=result.uuid),
        {"to": "nobody-here"},
        format="json",
    )
    assert response.status_code == 400
    assert "to" in response.json()


def test_accepting_a_transfer_not_offered_is_403():
    result = ResultFactory()
    colleague = GPFactory(organisation=result.booking.patient.registered_practice)
    response = api_client_for(colleague).post(
        url("api-diagnostics-result-accept-transfer", result_id=result.uuid)
    )
    assert response.status_code == 403


def test_fhir_diagnostic_report_uses_uk_core_identifiers_and_snomed():
    result = ResultFactory(abnormal=True, value="92", unit="g/L")
    response = api_client_for(result.responsible).get(
        url("api-diagnostics-result-fhir", result_id=result.uuid)
    )
    report = response.json()
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/fhir+json")
    assert report["resourceType"] == "DiagnosticReport"
    assert report["subject"]["identifier"] == {
        "system": "https://fhir.nhs.uk/Id/nhs-number",
        "value": result.booking.patient.nhs_number,
    }
    assert report["performer"][0]["identifier"] == {
        "system": "https://fhir.nhs.uk/Id/ods-organization-code",
        "value": result.booking.slot.hub.ods_code,
    }
    assert report["code"]["coding"][0] == {
        "system": "http://snomed.info/sct",
        "code": "26604007",
        "display": result.booking.test_type.name,
    }
    assert report["conclusionCode"][0]["coding"][0]["code"] == "263654008"
    assert report["contained"][0]["valueQuantity"] == {"value": 92.0, "unit": "g/L"}


def test_fhir_export_is_audited_and_hidden_from_strangers():
    result = ResultFactory()
    target = url("api-diagnostics-result-fhir", result_id=result.uuid)
    assert api_client_for(GPFactory()).get(target).status_code == 404
    api_client_for(result.responsible).get(target)
    assert AuditEvent.objects.filter(action="export", object_id=str(result.uuid)).exists()


def test_results_list_costs_the_same_queries_for_one_row_or_many(django_assert_max_num_queries):
    first = ResultFactory()
    gp = first.responsible
    client = api_client_for(gp)
    with CaptureQueriesContext(connection) as one:
        client.get(url("api-diagnostics-results"))
    for _ in range(3):
        ResultFactory(booking__patient=first.booking.patient, booking__requester=gp, responsible=gp)
    with django_assert_max_num_queries(len(one)):
        response = client.get(url("api-diagnostics-results"))
    assert len(response.json()["results"]) == 4


def test_results_responsible_me_lists_a_transferred_result_of_a_patient_seen_only_through_it():
    result = ResultFactory()
    owner = ConsultantFactory()  # another trust: responsible for the result, nothing else
    result.responsible = owner
    result.save(update_fields=["responsible"])
    client = api_client_for(owner)
    assert ids(client.get(url("api-diagnostics-results"), {"responsible": "ME"})) == [
        str(result.uuid)
    ]
