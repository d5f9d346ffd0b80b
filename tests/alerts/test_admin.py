"""Alerts in the Django admin: read-only, never naming the patient an alert is about, and each
alert about a patient listed or opened there audited (client "admin")."""

import pytest

from audit.models import AuditEvent
from tests.alerts.factories import AlertFactory, AlertPreferenceFactory
from tests.factories import PatientFactory, UserFactory
from tests.helpers import signed_in

pytestmark = pytest.mark.django_db
ALERTS = "/admin/alerts/alert/"


@pytest.fixture
def admin_user(client):
    return signed_in(
        client, UserFactory(role="admin", organisation=None, is_staff=True, is_superuser=True)
    )


def events() -> list[tuple]:
    return sorted(
        AuditEvent.objects.filter(client="admin").values_list("action", "object_type", "patient_id")
    )


def test_the_alert_list_audits_the_alerts_about_a_patient(client, admin_user):
    patient = PatientFactory()
    AlertFactory(patient=patient)
    AlertFactory()
    assert client.get(ALERTS).status_code == 200
    assert events() == [("list", "alert", patient.pk)]


def test_an_opened_alert_never_shows_its_patient(client, admin_user):
    patient = PatientFactory()
    alert = AlertFactory(patient=patient)
    body = client.get(f"{ALERTS}{alert.pk}/change/").content.decode()
    assert alert.subject in body
    assert patient.nhs_number not in body and patient.family_name not in body
    assert events() == [("view", "alert", patient.pk)]


def test_alerts_and_preferences_cannot_be_added_changed_or_deleted(client, admin_user):
    alert = AlertFactory()
    preference = AlertPreferenceFactory()
    assert client.get(f"{ALERTS}add/").status_code == 403
    assert client.post(f"{ALERTS}{alert.pk}/delete/").status_code == 403
    assert client.get("/admin/alerts/alertpreference/add/").status_code == 403
    body = client.get(f"/admin/alerts/alertpreference/{preference.pk}/change/").content.decode()
    assert 'type="submit" value="Save"' not in body
