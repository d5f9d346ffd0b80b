"""``POST /api/v1/contracts/discharges/`` and ``attendances/`` (docs/product.md §7)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from contracts.models import Discharge, Obligation
from tests.contracts.factories import at_hours_ago
from tests.factories import ConsultantFactory, GPFactory, ManagerFactory, PatientFactory
from tests.helpers import api_client_for
from tests.triage.factories import ReferralFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultant():
    return ConsultantFactory()


@pytest.fixture
def patient(consultant):
    patient = PatientFactory()
    ReferralFactory(patient=patient, provider=consultant.organisation)
    return patient


def body(patient, **overrides):
    values = {
        "nhs_number": patient.nhs_number_display,
        "kind": "ae",
        "discharged_at": at_hours_ago(2).isoformat(),
        "medication_days": 3,
        "fit_note": "due",
    }
    values.update(overrides)
    return values


def post(user, url_name, data):
    return api_client_for(user).post(reverse(url_name), data, format="json")


def test_a_discharge_answers_201_with_the_obligations_it_opened(consultant, patient):
    response = post(consultant, "api-contracts-discharges", body(patient))
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["kind"] == "ae" and data["provider"] == consultant.organisation.ods_code
    duties = {o["duty"]: o["status"] for o in data["obligations"]}
    # Under 7 days' medication and a fit note not yet issued are due at once: overdue already.
    assert duties == {
        "discharge_summary": "open",
        "discharge_medication": "overdue",
        "fit_note": "overdue",
    }


def test_a_retry_answers_200_with_the_same_discharge(consultant, patient):
    data = body(patient)
    first = post(consultant, "api-contracts-discharges", data)
    again = post(consultant, "api-contracts-discharges", data)
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert Discharge.objects.count() == 1


def test_a_different_discharge_at_the_same_time_is_409(consultant, patient):
    data = body(patient)
    post(consultant, "api-contracts-discharges", data)
    response = post(consultant, "api-contracts-discharges", {**data, "kind": "inpatient"})
    assert response.status_code == 409
    assert response.json()["current"]["kind"] == "ae"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("kind", "outpatient"),
        ("fit_note", "maybe"),
        ("medication_days", -1),
        ("medication_days", 1000),
        ("discharged_at", "yesterday"),
        ("nhs_number", "1234567890"),
    ],
)
def test_bad_input_is_400_naming_the_field_and_records_nothing(consultant, patient, field, value):
    response = post(consultant, "api-contracts-discharges", body(patient, **{field: value}))
    assert response.status_code == 400
    assert field in response.json()
    assert not Obligation.objects.exists()


def test_a_discharge_in_the_future_is_400(consultant, patient):
    later = (timezone.now() + timedelta(hours=2)).isoformat()
    response = post(consultant, "api-contracts-discharges", body(patient, discharged_at=later))
    assert response.status_code == 400
    assert response.json()["discharged_at"] == ["It is in the future."]


def test_a_patient_the_provider_may_not_see_is_400_on_nhs_number(consultant):
    response = post(consultant, "api-contracts-discharges", body(PatientFactory()))
    assert response.status_code == 400
    assert response.json()["nhs_number"] == ["No patient you may see has this NHS number."]


@pytest.mark.parametrize("factory", [GPFactory, ManagerFactory])
def test_only_provider_staff_record_events(factory, patient):
    response = post(factory(), "api-contracts-discharges", body(patient))
    assert response.status_code == 403


def test_an_attendance_needing_gp_action_opens_the_clinic_letter(consultant, patient):
    response = post(
        consultant,
        "api-contracts-attendances",
        {
            "nhs_number": patient.nhs_number,
            "attended_at": at_hours_ago(1).isoformat(),
            "gp_action_needed": True,
        },
    )
    assert response.status_code == 201, response.content
    [letter] = response.json()["obligations"]
    assert (letter["duty"], letter["status"], letter["source"]) == (
        "clinic_letter",
        "open",
        "attendance",
    )


def test_an_attendance_without_gp_action_needed_is_400(consultant, patient):
    response = post(
        consultant,
        "api-contracts-attendances",
        {"nhs_number": patient.nhs_number, "attended_at": at_hours_ago(1).isoformat()},
    )
    assert response.status_code == 400
    assert "gp_action_needed" in response.json()
