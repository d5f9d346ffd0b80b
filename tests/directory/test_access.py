"""Who may see a patient: the legitimate-relationship rule, in the browser and the API."""

import pytest
from rest_framework.test import APIClient

from audit.models import AuditEvent
from directory.selectors import patients_visible_to
from tests.factories import (
    ConsultantFactory,
    DiagnosticsStaffFactory,
    GPFactory,
    ManagerFactory,
    PatientFactory,
    UserFactory,
)
from tests.helpers import api_client_for

pytestmark = pytest.mark.django_db


def test_gp_sees_patients_registered_at_their_practice():
    gp = GPFactory()
    own = PatientFactory(registered_practice=gp.organisation)
    PatientFactory()
    assert list(patients_visible_to(gp)) == [own]


def test_consultant_without_a_referral_sees_no_patient():
    PatientFactory()
    assert not patients_visible_to(ConsultantFactory()).exists()


def test_manager_sees_no_identifiable_patient():
    manager = ManagerFactory()
    PatientFactory()
    assert not patients_visible_to(manager).exists()


def test_diagnostics_staff_without_a_request_sees_no_patient():
    PatientFactory()
    assert not patients_visible_to(DiagnosticsStaffFactory()).exists()


def test_inactive_user_sees_no_patient():
    gp = GPFactory(is_active=False)
    PatientFactory(registered_practice=gp.organisation)
    assert not patients_visible_to(gp).exists()


def test_gp_cannot_open_patient_registered_elsewhere_in_the_browser(client):
    gp = GPFactory()
    elsewhere = PatientFactory()
    client.force_login(gp)
    response = client.get(f"/patients/{elsewhere.uuid}/")
    assert response.status_code == 404


def test_gp_cannot_open_patient_registered_elsewhere_in_the_api():
    elsewhere = PatientFactory()
    response = api_client_for(GPFactory()).get(f"/api/v1/patients/{elsewhere.uuid}/")
    assert response.status_code == 404


def test_refusal_writes_no_audit_event_and_reveals_nothing(client):
    elsewhere = PatientFactory()
    client.force_login(GPFactory())
    response = client.get(f"/patients/{elsewhere.uuid}/")
    assert elsewhere.nhs_number not in response.content.decode()
    assert not AuditEvent.objects.exists()


def test_browser_patient_read_writes_an_audit_event(client):
    gp = GPFactory()
    patient = PatientFactory(registered_practice=gp.organisation)
    client.force_login(gp)
    client.get(f"/patients/{patient.uuid}/", HTTP_USER_AGENT="pytest-browser")
    event = AuditEvent.objects.get()
    assert (event.user, event.patient, event.action, event.client, event.user_agent) == (
        gp,
        patient,
        "view",
        "browser",
        "pytest-browser",
    )


def test_api_patient_read_writes_an_audit_event():
    gp = GPFactory()
    patient = PatientFactory(registered_practice=gp.organisation)
    response = api_client_for(gp).get(f"/api/v1/patients/{patient.uuid}/")
    assert response.status_code == 200
    assert response.json()["nhs_number"] == patient.nhs_number
    event = AuditEvent.objects.get()
    assert (event.user, event.patient, event.client) == (gp, patient, "api")


def test_api_patient_list_audits_each_patient_served():
    gp = GPFactory()
    patients = PatientFactory.create_batch(3, registered_practice=gp.organisation)
    response = api_client_for(gp).get("/api/v1/patients/")
    assert len(response.json()["results"]) == 3
    assert set(AuditEvent.objects.values_list("patient_id", flat=True)) == {p.pk for p in patients}


def test_api_patient_search_accepts_nhs_number_with_spaces():
    gp = GPFactory()
    patient = PatientFactory(registered_practice=gp.organisation)
    PatientFactory(registered_practice=gp.organisation)
    spaced = f"{patient.nhs_number[:3]} {patient.nhs_number[3:6]} {patient.nhs_number[6:]}"
    response = api_client_for(gp).get("/api/v1/patients/", {"nhs_number": spaced})
    assert [row["id"] for row in response.json()["results"]] == [str(patient.uuid)]


def test_api_requires_authentication():
    patient = PatientFactory()
    response = APIClient().get(f"/api/v1/patients/{patient.uuid}/")
    assert response.status_code in (401, 403)


def test_api_accepts_a_drf_token():
    from rest_framework.authtoken.models import Token

    gp = GPFactory()
    patient = PatientFactory(registered_practice=gp.organisation)
    token = Token.objects.create(user=gp)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get(f"/api/v1/patients/{patient.uuid}/").status_code == 200


def test_browser_pages_need_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_admin_role_user_sees_no_patient_through_the_app(client):
    admin = UserFactory(role="admin", organisation=None, is_staff=True, is_superuser=True)
    patient = PatientFactory()
    client.force_login(admin)
    assert client.get(f"/patients/{patient.uuid}/").status_code == 404


def test_patient_search_is_refused_to_managers(client):
    client.force_login(ManagerFactory())
    assert client.get("/patients/", {"family_name": "Smith"}).status_code == 403
