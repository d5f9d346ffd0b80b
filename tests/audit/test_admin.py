"""The admin's reads of patient data are audited like any other (client "admin"): the patient
list and its NHS-number search one event per patient row shown, each patient opened one."""

from __future__ import annotations

import pytest

from audit.models import AuditEvent
from tests.audit.helpers import record_events
from tests.factories import PatientFactory, UserFactory
from tests.helpers import signed_in

pytestmark = pytest.mark.django_db

PATIENTS = "/admin/directory/patient/"


@pytest.fixture
def admin_user(client):
    return signed_in(
        client, UserFactory(role="admin", organisation=None, is_staff=True, is_superuser=True)
    )


def events(**filters) -> list[tuple]:
    return sorted(
        AuditEvent.objects.filter(client="admin", **filters).values_list(
            "user_id", "action", "object_type", "patient_id"
        )
    )


def test_the_patient_list_audits_each_patient_row_shown(client, admin_user):
    patients = PatientFactory.create_batch(3)
    assert client.get(PATIENTS).status_code == 200
    assert events() == sorted((admin_user.pk, "list", "patient", p.pk) for p in patients)


def test_an_nhs_number_search_audits_each_patient_found_and_no_other(client, admin_user):
    found, _other = PatientFactory(), PatientFactory()
    response = client.get(PATIENTS, {"q": found.nhs_number})
    assert response.status_code == 200
    assert events() == [(admin_user.pk, "list", "patient", found.pk)]


def test_a_search_finding_nobody_writes_no_event(client, admin_user):
    PatientFactory()
    client.get(PATIENTS, {"q": "0000000000"})
    assert events() == []


def test_opening_a_patient_audits_one_view(client, admin_user):
    patient = PatientFactory()
    assert client.get(f"{PATIENTS}{patient.pk}/change/").status_code == 200
    assert events() == [(admin_user.pk, "view", "patient", patient.pk)]


def test_a_patient_history_page_is_audited(client, admin_user):
    patient = PatientFactory()
    assert client.get(f"{PATIENTS}{patient.pk}/history/").status_code == 200
    assert events() == [(admin_user.pk, "view", "patient", patient.pk)]


def test_patients_are_not_offered_for_autocomplete(client, admin_user):
    PatientFactory()
    response = client.get(
        "/admin/autocomplete/",
        {"app_label": "audit", "model_name": "auditevent", "field_name": "patient", "term": "9"},
    )
    assert response.status_code == 403
    assert events(action="list") == []


def test_the_audit_event_list_audits_each_patient_it_names(client, admin_user):
    record_events(2)
    patients = sorted(AuditEvent.objects.values_list("patient_id", flat=True))
    assert client.get("/admin/audit/auditevent/").status_code == 200
    assert events(object_type="audit_event") == sorted(
        (admin_user.pk, "list", "audit_event", p) for p in patients
    )
