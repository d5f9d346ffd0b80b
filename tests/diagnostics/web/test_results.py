"""The results worklist and a result's page: acknowledge, offer a transfer, accept it."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from diagnostics.models import Result
from tests.diagnostics.factories import ResultFactory
from tests.factories import ConsultantFactory, DiagnosticsStaffFactory, GPFactory, ManagerFactory
from tests.helpers import signed_in
from tests.triage.factories import ReferralFactory

pytestmark = pytest.mark.django_db

WORKLIST = "/diagnostics/results/"


def page_url(result) -> str:
    return f"/diagnostics/results/{result.uuid}/"


def action_url(result, action: str) -> str:
    return f"{page_url(result)}{action}/"


def hours_ago(n: int):
    return timezone.now() - datetime.timedelta(hours=n)


def rows(body: str, results) -> list[str]:
    """The results' ids in the order the page shows them."""
    return sorted(
        (str(r.uuid) for r in results if str(r.uuid) in body), key=lambda u: body.index(u)
    )


def test_the_worklist_shows_abnormal_results_first_then_oldest_first(client):
    gp = GPFactory()
    normal_old = ResultFactory(booking__requester=gp, abnormal=False, reported_at=hours_ago(50))
    abnormal_new = ResultFactory(booking__requester=gp, abnormal=True, reported_at=hours_ago(1))
    abnormal_old = ResultFactory(booking__requester=gp, abnormal=True, reported_at=hours_ago(9))
    signed_in(client, gp)
    body = client.get(WORKLIST).content.decode()
    assert rows(body, [normal_old, abnormal_new, abnormal_old]) == [
        str(abnormal_old.uuid),
        str(abnormal_new.uuid),
        str(normal_old.uuid),
    ]


def test_the_worklist_leaves_out_acknowledged_results_and_others_results(client):
    gp = GPFactory()
    done = ResultFactory(
        booking__requester=gp, acknowledged_at=timezone.now(), acknowledged_by=gp, action="OK"
    )
    someone_elses = ResultFactory()
    signed_in(client, gp)
    body = client.get(WORKLIST).content.decode()
    assert str(done.uuid) not in body
    assert str(someone_elses.uuid) not in body


def test_the_worklist_is_audited_one_event_per_result(client):
    result = ResultFactory()
    signed_in(client, result.responsible)
    client.get(WORKLIST)
    assert (
        AuditEvent.objects.filter(
            user=result.responsible, action="list", patient=result.booking.patient
        ).count()
        == 1
    )


def test_managers_may_not_open_the_worklist(client):
    client.force_login(ManagerFactory())
    assert client.get(WORKLIST).status_code == 403


def test_the_responsible_clinician_acknowledges_with_the_action_taken(client):
    result = ResultFactory(abnormal=True)
    signed_in(client, result.responsible)
    response = client.post(
        action_url(result, "acknowledge"), {"acknowledge-action": "Started a beta blocker."}
    )
    result.refresh_from_db()
    assert response.status_code == 302
    assert (result.acknowledged_by, result.action) == (
        result.responsible,
        "Started a beta blocker.",
    )


def test_acknowledging_without_an_action_names_the_field(client):
    result = ResultFactory()
    signed_in(client, result.responsible)
    response = client.post(action_url(result, "acknowledge"), {"acknowledge-action": ""})
    assert response.status_code == 400
    assert "Enter the action taken." in response.content.decode()
    assert Result.objects.get(pk=result.pk).acknowledged_at is None


def test_a_clinician_who_sees_the_result_but_is_not_responsible_gets_403(client):
    result = ResultFactory()
    colleague = GPFactory(organisation=result.booking.patient.registered_practice)
    signed_in(client, colleague)
    assert client.get(page_url(result)).status_code == 200
    response = client.post(action_url(result, "acknowledge"), {"acknowledge-action": "Seen."})
    assert response.status_code == 403


def test_a_clinician_without_a_relationship_gets_404(client):
    result = ResultFactory()
    client.force_login(GPFactory())
    assert client.get(page_url(result)).status_code == 404


def test_hub_staff_see_the_result_they_recorded_without_actions(client):
    result = ResultFactory()
    signed_in(client, DiagnosticsStaffFactory(organisation=result.booking.slot.hub))
    body = client.get(page_url(result)).content.decode()
    assert result.summary in body
    assert "<h2>Actions</h2>" not in body


def test_a_transfer_is_offered_to_a_named_clinician_and_accepted_by_them(client):
    result = ResultFactory()
    patient = result.booking.patient
    consultant = ConsultantFactory()
    ReferralFactory(patient=patient, provider=consultant.organisation)
    signed_in(client, result.responsible)
    response = client.post(action_url(result, "transfer"), {"transfer-to": consultant.username})
    assert response.status_code == 302
    assert Result.objects.get(pk=result.pk).transfer_to == consultant

    signed_in(client, consultant)
    assert str(result.uuid) in client.get(WORKLIST).content.decode()
    response = client.post(action_url(result, "accept-transfer"), {})
    assert response.status_code == 302
    assert Result.objects.get(pk=result.pk).responsible == consultant


def test_a_transfer_to_a_clinician_without_a_relationship_names_the_field(client):
    result = ResultFactory()
    stranger = ConsultantFactory()
    signed_in(client, result.responsible)
    response = client.post(action_url(result, "transfer"), {"transfer-to": stranger.username})
    assert response.status_code == 400
    assert "no relationship with the patient" in response.content.decode()


def test_a_transfer_to_an_unknown_username_names_the_field(client):
    result = ResultFactory()
    signed_in(client, result.responsible)
    response = client.post(action_url(result, "transfer"), {"transfer-to": "nobody-at-all"})
    assert response.status_code == 400
    assert "No clinician with username nobody-at-all" in response.content.decode()


def test_only_the_clinician_offered_the_transfer_may_accept_it(client):
    result = ResultFactory()
    signed_in(client, result.responsible)
    assert client.post(action_url(result, "accept-transfer"), {}).status_code == 403


def test_an_unacknowledged_results_page_says_when_its_alert_falls_due(client):
    monday = datetime.datetime(2026, 11, 30, 10, 0, tzinfo=ZoneInfo("Europe/London"))
    result = ResultFactory(abnormal=True, reported_at=monday)
    signed_in(client, result.responsible)
    body = client.get(page_url(result)).content.decode()
    assert "alerted on Wednesday 2 December 2026, 10:00" in body
