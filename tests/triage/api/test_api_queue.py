"""GET /api/v1/queue/: order, figures, filters, keyset paging, access, audit and cost."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone
from rest_framework.test import APIClient

from audit.models import AuditEvent
from directory.services import api_token_issue
from tests.factories import ConsultantFactory, GPFactory, ManagerFactory, TrustFactory
from tests.helpers import api_client_for
from tests.triage.factories import ReferralFactory, ReviewPanelFactory, treatment_function
from triage.services.queue import queue_recompute

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
URL = "/api/v1/queue/"
ROW_FIELDS = {
    "id",
    "ubrn",
    "nhs_number",
    "patient_name",
    "provider",
    "treatment_function",
    "priority",
    "category",
    "effective_category",
    "displayed_category",
    "clock_start",
    "target_date",
    "days_waited",
    "weeks_waited",
    "days_to_target",
    "breached",
    "long_wait",
    "position",
    "status",
}


def days_ago(n: int) -> date:
    return timezone.localdate() - timedelta(days=n)


@pytest.fixture
def consultant():
    return ConsultantFactory(organisation=TrustFactory())


def queue(user, **params) -> dict:
    response = api_client_for(user).get(URL, params)
    assert response.status_code == 200, response.content
    return response.json()


def ubrns(body) -> list[str]:
    return [row["ubrn"] for row in body["results"]]


def only_row(user, **params) -> dict:
    (row,) = queue(user, **params)["results"]
    return row


def row_of_new_referral(consultant, **fields) -> dict:
    ReferralFactory(provider=consultant.organisation, **fields)
    return only_row(consultant)


def test_queue_orders_by_target_then_urgency_then_clock_start(consultant):
    trust = consultant.organisation
    routine = ReferralFactory(provider=trust, ubrn="000000000003", clock_start=days_ago(5))
    urgent = ReferralFactory(
        provider=trust, ubrn="000000000002", priority="urgent", clock_start=days_ago(28)
    )
    # Same target day as the urgent one (today): the two-week wait is the more urgent.
    two_week = ReferralFactory(
        provider=trust, ubrn="000000000001", priority="two_week_wait", clock_start=days_ago(14)
    )
    assert ubrns(queue(consultant)) == [two_week.ubrn, urgent.ubrn, routine.ubrn]


def test_queue_rows_carry_their_position_in_the_service_queue(consultant):
    trust = consultant.organisation
    later = ReferralFactory(provider=trust, clock_start=days_ago(5))
    sooner = ReferralFactory(provider=trust, clock_start=days_ago(50))
    queue_recompute()
    rows = queue(consultant)["results"]
    assert [(r["ubrn"], r["position"]) for r in rows] == [(sooner.ubrn, 1), (later.ubrn, 2)]


def test_queue_leaves_out_closed_and_deferred_referrals(consultant):
    trust = consultant.organisation
    open_referral = ReferralFactory(provider=trust)
    ReferralFactory(provider=trust, status="treated")
    ReferralFactory(
        provider=trust, status="accepted", category="P5", deferred=True, contact_on=date(2099, 1, 1)
    )
    assert ubrns(queue(consultant)) == [open_referral.ubrn]


def test_queue_row_has_exactly_the_documented_fields(consultant):
    assert set(row_of_new_referral(consultant)) == ROW_FIELDS


@time_machine.travel(datetime(2025, 5, 14, 9, 0, tzinfo=LONDON), tick=False)
def test_clock_start_today_has_waited_no_days_and_has_the_full_wait_ahead(consultant):
    row = row_of_new_referral(consultant, clock_start=date(2025, 5, 14))
    assert (row["days_waited"], row["days_to_target"], row["target_date"], row["breached"]) == (
        0,
        126,
        "2025-09-17",
        False,
    )


@time_machine.travel(datetime(2025, 5, 14, 9, 0, tzinfo=LONDON), tick=False)
def test_referral_exactly_at_its_target_is_not_yet_breached(consultant):
    row = row_of_new_referral(consultant, priority="urgent", clock_start=date(2025, 4, 16))
    assert (row["target_date"], row["days_to_target"], row["breached"]) == (
        "2025-05-14",
        0,
        False,
    )


@time_machine.travel(datetime(2025, 5, 15, 9, 0, tzinfo=LONDON), tick=False)
def test_referral_the_day_after_its_target_is_breached(consultant):
    row = row_of_new_referral(consultant, priority="urgent", clock_start=date(2025, 4, 16))
    assert (row["days_to_target"], row["breached"]) == (-1, True)


@time_machine.travel(datetime(2024, 2, 29, 9, 0, tzinfo=LONDON), tick=False)
def test_target_can_fall_on_a_leap_day(consultant):
    row = row_of_new_referral(consultant, priority="urgent", clock_start=date(2024, 2, 1))
    assert (row["target_date"], row["days_waited"], row["days_to_target"]) == (
        "2024-02-29",
        28,
        0,
    )


@time_machine.travel(datetime(2024, 2, 29, 9, 0, tzinfo=LONDON), tick=False)
def test_fifty_two_weeks_across_a_leap_day_counts_the_leap_day(consultant):
    trust = consultant.organisation
    ReferralFactory(provider=trust, ubrn="000000000001", clock_start=date(2023, 3, 2))
    ReferralFactory(provider=trust, ubrn="000000000002", clock_start=date(2023, 3, 3))
    rows = {r["ubrn"]: (r["days_waited"], r["long_wait"]) for r in queue(consultant)["results"]}
    assert rows == {"000000000001": (364, True), "000000000002": (363, False)}


@time_machine.travel(datetime(2025, 6, 30, 23, 30, tzinfo=ZoneInfo("UTC")), tick=False)
def test_days_are_english_local_dates_after_midnight_in_summer_time(consultant):
    # 23:30 UTC on 30 June is 00:30 on 1 July in London (BST).
    assert row_of_new_referral(consultant, clock_start=date(2025, 6, 30))["days_waited"] == 1


def test_filter_by_provider_ods_code():
    panel = ReviewPanelFactory()
    member = panel.members.get(role="gp")
    ours = ReferralFactory(provider=panel.provider, panel=panel)
    other_panel = ReviewPanelFactory(members=[member])
    ReferralFactory(provider=other_panel.provider, panel=other_panel)
    body = queue(member, provider=panel.provider.ods_code.lower())
    assert ubrns(body) == [ours.ubrn]


def test_filter_by_an_unknown_provider_lists_nothing(consultant):
    ReferralFactory(provider=consultant.organisation)
    assert ubrns(queue(consultant, provider="RZZ")) == []


def test_filter_by_treatment_function(consultant):
    trust = consultant.organisation
    ent = ReferralFactory(provider=trust, treatment_function=treatment_function("120"))
    ReferralFactory(provider=trust, treatment_function=treatment_function("110"))
    assert ubrns(queue(consultant, treatment_function="120")) == [ent.ubrn]


def test_filter_by_effective_category(consultant):
    trust = consultant.organisation
    urgent = ReferralFactory(provider=trust, priority="urgent")
    ReferralFactory(provider=trust, priority="routine")
    assert ubrns(queue(consultant, category="P2")) == [urgent.ubrn]


@pytest.mark.parametrize(("breached", "clock_days_ago"), [("true", 40), ("false", 10)])
def test_filter_by_breached(consultant, breached, clock_days_ago):
    trust = consultant.organisation
    by_age = {
        n: ReferralFactory(provider=trust, priority="urgent", clock_start=days_ago(n))
        for n in (40, 10)
    }
    assert ubrns(queue(consultant, breached=breached)) == [by_age[clock_days_ago].ubrn]


def test_filter_by_reviewed(consultant):
    trust = consultant.organisation
    reviewed = ReferralFactory(provider=trust, category="P3", status="accepted")
    ReferralFactory(provider=trust)
    assert ubrns(queue(consultant, reviewed="true")) == [reviewed.ubrn]


def test_filter_by_panel(consultant):
    trust = consultant.organisation
    panel = ReviewPanelFactory(provider=trust)
    assigned = ReferralFactory(provider=trust, panel=panel)
    ReferralFactory(provider=trust)
    assert ubrns(queue(consultant, panel=str(panel.uuid))) == [assigned.ubrn]


def test_unknown_category_is_a_400_naming_the_field(consultant):
    response = api_client_for(consultant).get(URL, {"category": "P9"})
    assert response.status_code == 400
    assert set(response.json()) == {"category"}


def test_malformed_panel_id_is_a_400_naming_the_field(consultant):
    response = api_client_for(consultant).get(URL, {"panel": "not-a-uuid"})
    assert response.status_code == 400
    assert set(response.json()) == {"panel"}


def test_tampered_cursor_is_a_400_naming_the_cursor(consultant):
    response = api_client_for(consultant).get(URL, {"cursor": "bm90LWEtY3Vyc29y"})
    assert response.status_code == 400
    assert "cursor" in response.json()


@pytest.fixture
def five_in_order(consultant) -> list[str]:
    """Five referrals, each a day later in the queue than the one before; their UBRNs."""
    return [
        ReferralFactory(provider=consultant.organisation, clock_start=days_ago(50 - n)).ubrn
        for n in range(5)
    ]


def first_two_pages(client):
    first = client.get(URL, {"page_size": 2}).json()
    return first, client.get(first["next"]).json()


def test_next_page_continues_where_the_first_ended(consultant, five_in_order):
    client = api_client_for(consultant)
    first, second = first_two_pages(client)
    third = client.get(second["next"]).json()
    assert (ubrns(first), ubrns(second), ubrns(third), third["next"]) == (
        five_in_order[:2],
        five_in_order[2:4],
        five_in_order[4:],
        None,
    )


def test_previous_page_returns_the_rows_before(consultant, five_in_order):
    client = api_client_for(consultant)
    first, second = first_two_pages(client)
    back = client.get(second["previous"]).json()
    assert (first["previous"], ubrns(back), back["previous"]) == (
        None,
        five_in_order[:2],
        None,
    )


def test_page_size_defaults_to_fifty(consultant):
    ReferralFactory.create_batch(51, provider=consultant.organisation)
    body = queue(consultant)
    assert (len(body["results"]), body["next"] is not None) == (50, True)


def test_gp_of_another_practice_sees_no_referral():
    ReferralFactory()
    assert queue(GPFactory())["results"] == []


def test_manager_rows_are_pseudonymised():
    trust = TrustFactory()
    manager = ManagerFactory(organisation=trust.icb)
    referral = ReferralFactory(provider=trust)
    row = only_row(manager)
    assert (row["nhs_number"], row["patient_name"].startswith("PSN-")) == (None, True)
    assert referral.patient.family_name.upper() not in str(row).upper()
    assert "date_of_birth" not in row


def test_manager_reading_pseudonymised_rows_writes_no_audit_event():
    trust = TrustFactory()
    ReferralFactory(provider=trust)
    queue(ManagerFactory(organisation=trust.icb))
    assert not AuditEvent.objects.exists()


def test_token_authentication_works(consultant):
    referral = ReferralFactory(provider=consultant.organisation)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(user=consultant)[1]}")
    response = client.get(URL)
    assert [r["ubrn"] for r in response.json()["results"]] == [referral.ubrn]


def test_session_authentication_works(consultant):
    ReferralFactory(provider=consultant.organisation)
    client = APIClient()
    client.force_login(consultant)
    assert len(client.get(URL).json()["results"]) == 1


def test_unauthenticated_request_is_refused():
    ReferralFactory()
    assert APIClient().get(URL).status_code == 401


def test_every_row_served_to_a_clinician_is_audited(consultant):
    referrals = ReferralFactory.create_batch(3, provider=consultant.organisation)
    queue(consultant)
    events = AuditEvent.objects.filter(user=consultant, action="list", object_type="referral")
    assert sorted((e.patient_id, e.object_id, e.client) for e in events) == sorted(
        (r.patient_id, str(r.uuid), "api") for r in referrals
    )


def test_only_the_rows_of_the_page_served_are_audited(consultant):
    ReferralFactory.create_batch(3, provider=consultant.organisation)
    queue(consultant, page_size=2)
    assert AuditEvent.objects.count() == 2


@pytest.mark.parametrize("page_size", [1, 10, 50])
def test_a_page_costs_the_same_queries_whatever_its_size(
    consultant, page_size, django_assert_num_queries
):
    panel = ReviewPanelFactory(provider=consultant.organisation)
    ReferralFactory.create_batch(50, provider=consultant.organisation, panel=panel)
    client = api_client_for(consultant)
    first = client.get(URL, {"page_size": page_size, "panel": str(panel.uuid)}).json()
    # One SELECT of the page (access rule, filters and related rows joined in) and one
    # INSERT of its audit events; the next page costs the same.
    with django_assert_num_queries(2):
        client.get(first["next"] or URL)


def test_openapi_schema_describes_the_queue(consultant):
    response = api_client_for(consultant).get("/api/schema/", {"format": "json"})
    queue_get = response.json()["paths"]["/api/v1/queue/"]["get"]
    assert {p["name"] for p in queue_get["parameters"]} == {
        "provider",
        "treatment_function",
        "category",
        "breached",
        "reviewed",
        "panel",
        "cursor",
        "page_size",
        "format",
    }
