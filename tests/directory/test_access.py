"""Who may see a patient: the legitimate-relationship rule, in the browser and the API."""

import pytest
from rest_framework.test import APIClient

from audit.models import AuditEvent
from core.pseudonyms import patient_pseudonym
from directory.presenters import patient_identity
from directory.selectors import patients_referrable_by, patients_visible_to, pseudonym_scope_for
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


def test_refusal_is_audited_as_refused_naming_no_patient_and_reveals_nothing(client):
    elsewhere = PatientFactory()
    client.force_login(GPFactory())
    response = client.get(f"/patients/{elsewhere.uuid}/")
    assert elsewhere.nhs_number not in response.content.decode()
    event = AuditEvent.objects.get()
    assert (event.action, event.patient, event.object_id) == ("refused", None, str(elsewhere.uuid))


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
    assert response.status_code == 401


def test_api_accepts_an_issued_token():
    from directory.services import api_token_issue

    gp = GPFactory()
    patient = PatientFactory(registered_practice=gp.organisation)
    _, key = api_token_issue(user=gp)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
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


# Whom a GP may refer: registered patients only, never those seen through a panel or referral


def test_gp_may_refer_only_patients_registered_at_their_practice():
    gp = GPFactory()
    own = PatientFactory(registered_practice=gp.organisation)
    PatientFactory()
    assert list(patients_referrable_by(gp)) == [own]


def test_a_patient_seen_through_a_referral_is_not_referrable():
    from tests.triage.factories import ReferralFactory

    referral = ReferralFactory()
    consultant = ConsultantFactory(organisation=referral.provider)
    assert patients_visible_to(consultant).filter(pk=referral.patient_id).exists()
    assert not patients_referrable_by(consultant).exists()


@pytest.mark.parametrize(
    "user_factory",
    [
        ManagerFactory,
        lambda: GPFactory(is_active=False),
        lambda: UserFactory(role="admin", organisation=None),
    ],
)
def test_managers_admins_and_inactive_users_refer_no_one(user_factory):
    user = user_factory()
    if user.organisation_id:
        PatientFactory(registered_practice=user.organisation)
    assert not patients_referrable_by(user).exists()


# Pseudonyms: 64-bit keyed hashes, scoped to the manager's ICB (docs/product.md §1)


def test_clinicians_see_patients_identifiably():
    assert pseudonym_scope_for(GPFactory()) is None


def test_a_managers_pseudonym_scope_is_their_icb():
    manager = ManagerFactory()
    assert pseudonym_scope_for(manager) == f"icb:{manager.organisation_id}"


def test_an_administrators_pseudonym_scope_is_the_fixed_admin_scope():
    admin = UserFactory(role="admin", organisation=None)
    assert pseudonym_scope_for(admin) == "admin"


def test_pseudonym_is_at_least_64_bits_and_stable_within_a_scope():
    patient = PatientFactory()
    first = patient_pseudonym(patient.uuid, "icb:1")
    assert first == patient_pseudonym(patient.uuid, "icb:1")
    assert first.startswith("PSN-") and len(first) - len("PSN-") >= 16
    int(first.removeprefix("PSN-"), 16)


def test_pseudonyms_differ_between_icbs():
    patient = PatientFactory()
    assert patient_pseudonym(patient.uuid, "icb:1") != patient_pseudonym(patient.uuid, "icb:2")


def test_pseudonym_depends_on_the_key(settings):
    patient = PatientFactory()
    before = patient_pseudonym(patient.uuid, "icb:1")
    settings.INTERFACE_PSEUDONYM_KEY = "another-key"
    assert patient_pseudonym(patient.uuid, "icb:1") != before


def test_pseudonymised_identity_has_no_nhs_number_and_the_scopes_pseudonym():
    patient = PatientFactory()
    identity = patient_identity(
        patient_uuid=patient.uuid,
        nhs_number=patient.nhs_number,
        family_name=patient.family_name,
        given_name=patient.given_name,
        pseudonym_scope="icb:7",
    )
    assert identity == {
        "nhs_number": None,
        "patient_name": patient_pseudonym(patient.uuid, "icb:7"),
    }
