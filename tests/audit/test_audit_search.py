"""The audit search for privacy officers (the admin role): events by patient, by user and by
date, newest first, page by page; itself audited; refused to everyone else."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from audit.selectors import SEARCH_PAGE_SIZE
from tests.audit.helpers import record_events
from tests.factories import GPFactory, ManagerFactory, UserFactory
from tests.helpers import signed_in

pytestmark = pytest.mark.django_db

URL = reverse("audit-events")


@pytest.fixture
def officer(client):
    return signed_in(client, UserFactory(username="privacy", role="admin", organisation=None))


def shown(response) -> list[int]:
    return [event.id for event in response.context["page"].events]


def test_with_no_criteria_the_newest_events_come_first(client, officer):
    ids = record_events(3)
    response = client.get(URL)
    assert response.status_code == 200
    assert shown(response) == ids[::-1]


def test_events_by_patient_nhs_number_typed_with_spaces(client, officer):
    record_events(2)
    event = AuditEvent.objects.order_by("id").first()
    number = event.patient.nhs_number
    response = client.get(URL, {"nhs_number": f"{number[:3]} {number[3:6]} {number[6:]}"})
    assert shown(response) == [event.id]
    assert event.patient.nhs_number_display in response.content.decode()


def test_events_by_username(client, officer):
    gp = GPFactory(username="drpatel")
    mine = record_events(2, actor=gp)
    record_events(1)
    response = client.get(URL, {"username": "drpatel"})
    assert shown(response) == mine[::-1]


def test_events_by_date_both_ends_inclusive(client, officer):
    today = timezone.localdate()
    with time_machine.travel(timezone.now() - timedelta(days=10)):
        record_events(1)
    with time_machine.travel(timezone.now() - timedelta(days=5)):
        middle = record_events(1)
    record_events(1)
    five_days_ago = (today - timedelta(days=5)).isoformat()
    response = client.get(URL, {"date_from": five_days_ago, "date_to": five_days_ago})
    assert shown(response) == middle[-1:]


def test_a_wrong_check_digit_names_the_nhs_number_field(client, officer):
    response = client.get(URL, {"nhs_number": "9434765918"})
    assert "check digit is wrong" in response.context["form"].errors["nhs_number"][0]
    assert response.context["page"] is None


def test_an_end_date_before_the_start_names_the_end_date(client, officer):
    response = client.get(URL, {"date_from": "2026-03-02", "date_to": "2026-03-01"})
    assert response.context["form"].errors["date_to"] == [
        "The end date must be on or after the start date."
    ]


def test_pages_go_back_in_time_and_forward_again(client, officer):
    ids = record_events(SEARCH_PAGE_SIZE + 5)
    first = client.get(URL)
    assert shown(first) == ids[::-1][:SEARCH_PAGE_SIZE]
    older = client.get(URL, {"before": first.context["page"].older})
    assert shown(older) == ids[::-1][SEARCH_PAGE_SIZE:]
    assert older.context["page"].older is None
    newer = client.get(URL, {"after": older.context["page"].newer})
    assert shown(newer) == shown(first)


def test_the_search_is_itself_audited_once_per_patient_shown(client, officer):
    record_events(2)
    events = list(AuditEvent.objects.all())
    client.get(URL)
    audited = AuditEvent.objects.filter(user=officer)
    assert sorted(audited.values_list("action", "object_type", "client", "patient_id")) == sorted(
        ("list", "audit_event", "browser", e.patient_id) for e in events
    )


@pytest.mark.parametrize("make_user", [GPFactory, ManagerFactory])
def test_anyone_but_a_privacy_officer_is_refused_with_403(client, make_user):
    user = signed_in(client, make_user())
    record_events(1)
    assert client.get(URL).status_code == 403
    assert not AuditEvent.objects.filter(user=user, action="list").exists()


def test_a_signed_out_visitor_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_navigation_offers_the_audit_trail_to_privacy_officers_only(client, officer):
    assert "Audit trail" in client.get(reverse("home")).content.decode()
    signed_in(client, GPFactory())
    assert "Audit trail" not in client.get(reverse("home")).content.decode()


def test_the_first_page_links_to_older_events_only(client, officer):
    record_events(SEARCH_PAGE_SIZE + 1)
    response = client.get(URL)
    html, older = response.content.decode(), response.context["page"].older
    assert f'href="?before={older}" rel="next"' in html
    assert "Older events" in html and "Newer events" not in html
