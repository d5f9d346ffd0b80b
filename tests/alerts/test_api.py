"""``/api/v1/alerts/`` (docs/product.md §7): the caller's own alerts and their team's."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from alerts.models import Alert
from audit.models import AuditAction, AuditEvent
from tests.alerts.factories import AlertFactory, TeamAlertFactory
from tests.factories import ConsultantFactory, GPFactory, ManagerFactory, PatientFactory
from tests.helpers import api_client_for

pytestmark = pytest.mark.django_db
URL = "/api/v1/alerts/"


def ids(response) -> list[str]:
    return [row["id"] for row in response.json()["results"]]


def test_each_alert_has_exactly_the_fields_the_product_names():
    gp = GPFactory()
    alert = AlertFactory(recipient=gp, link="/triage/queue/")
    (row,) = api_client_for(gp).get(URL).json()["results"]
    assert row == {
        "id": str(alert.uuid),
        "kind": alert.kind,
        "subject": alert.subject,
        "created_at": row["created_at"],
        "read_at": None,
        "link": "/triage/queue/",
    }
    assert row["created_at"].endswith(("Z", "+00:00")) or row["created_at"][-6] in "+-"


def test_the_list_holds_own_and_team_alerts_newest_first():
    consultant = ConsultantFactory()
    older = AlertFactory(recipient=consultant, created_at=timezone.now() - timedelta(hours=1))
    team = TeamAlertFactory(organisation=consultant.organisation)
    AlertFactory()  # someone else's
    assert ids(api_client_for(consultant).get(URL)) == [str(team.uuid), str(older.uuid)]


def test_a_manager_gets_their_own_alerts_not_their_icbs():
    manager = ManagerFactory()
    TeamAlertFactory(organisation=manager.organisation)
    own = AlertFactory(recipient=manager)
    assert ids(api_client_for(manager).get(URL)) == [str(own.uuid)]


def test_the_unread_filter():
    gp = GPFactory()
    unread = AlertFactory(recipient=gp)
    read = AlertFactory(recipient=gp, read_at=timezone.now())
    client = api_client_for(gp)
    assert ids(client.get(URL, {"unread": "true"})) == [str(unread.uuid)]
    assert ids(client.get(URL, {"unread": "false"})) == [str(read.uuid)]


def test_a_bad_unread_value_is_a_400_naming_the_field():
    response = api_client_for(GPFactory()).get(URL, {"unread": "maybe"})
    assert response.status_code == 400
    assert "unread" in response.json()


def test_the_list_is_cursor_paginated():
    gp = GPFactory()
    AlertFactory.create_batch(3, recipient=gp)
    client = api_client_for(gp)
    first = client.get(URL, {"page_size": 2}).json()
    second = client.get(first["next"]).json()
    assert len(first["results"]) == 2 and len(second["results"]) == 1
    assert second["next"] is None


def test_marking_an_alert_read_answers_it_with_its_read_time():
    gp = GPFactory()
    alert = AlertFactory(recipient=gp)
    response = api_client_for(gp).post(f"{URL}{alert.uuid}/read/")
    assert response.status_code == 200
    assert response.json()["id"] == str(alert.uuid)
    assert response.json()["read_at"] is not None


def test_marking_read_a_team_alert_reads_it_for_the_team():
    alert = TeamAlertFactory()
    reader = ConsultantFactory(organisation=alert.organisation)
    colleague = ConsultantFactory(organisation=alert.organisation)
    api_client_for(reader).post(f"{URL}{alert.uuid}/read/")
    assert ids(api_client_for(colleague).get(URL, {"unread": "true"})) == []


def test_someone_elses_alert_is_not_found_and_stays_unread():
    alert = AlertFactory()
    response = api_client_for(GPFactory()).post(f"{URL}{alert.uuid}/read/")
    assert response.status_code == 404
    assert Alert.objects.get(pk=alert.pk).read_at is None


def test_marking_read_over_the_api_is_audited_as_the_api_client():
    patient = PatientFactory()
    gp = GPFactory()
    alert = AlertFactory(recipient=gp, patient=patient)
    api_client_for(gp).post(f"{URL}{alert.uuid}/read/")
    event = AuditEvent.objects.get(patient=patient)
    assert (event.action, event.client) == (AuditAction.UPDATE, "api")


def test_listing_alerts_needs_authentication():
    assert APIClient().get(URL).status_code == 401
