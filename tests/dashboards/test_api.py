"""``/api/v1/dashboard/`` (docs/product.md §7): managers of the ICB and administrators only,
figures that agree with the queue, filters, CSV, and field errors for bad input."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from dashboards.services import snapshot_take
from tests.dashboards.factories import ServiceSnapshotFactory, days_ago
from tests.factories import (
    ConsultantFactory,
    GPFactory,
    IcbFactory,
    ManagerFactory,
    TrustFactory,
    UserFactory,
)
from tests.triage.factories import ReferralFactory, treatment_function
from triage.models import Referral
from triage.rules import weeks_waited
from triage.services.queue import queue_recompute

pytestmark = pytest.mark.django_db

BACKLOG = "/api/v1/dashboard/backlog/"
SERVICES = "/api/v1/dashboard/services/"
FORECAST = "/api/v1/dashboard/forecast/"
TRENDS = "/api/v1/dashboard/trends/"


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _referral(trust, *, days: int, **kwargs):
    return ReferralFactory(
        provider=trust, clock_start=timezone.localdate() - datetime.timedelta(days=days), **kwargs
    )


@pytest.fixture
def icb_with_queue():
    """An ICB with two providers and referrals of every band, breached or not, reviewed or not;
    and another ICB's provider whose referrals must never be counted."""
    icb = IcbFactory()
    trusts = [TrustFactory(icb=icb), TrustFactory(icb=icb)]
    for index, days in enumerate((3, 60, 126, 200, 364, 400, 546, 700, 728, 900)):
        _referral(
            trusts[index % 2],
            days=days,
            category="P3" if index % 3 == 0 else None,
            treatment_function=treatment_function("120" if index % 4 == 0 else "110"),
        )
    _referral(trusts[0], days=30, status="treated", clock_stopped_on=timezone.localdate())
    _referral(TrustFactory(), days=500)
    queue_recompute()
    return icb, trusts


@pytest.mark.parametrize("factory", [GPFactory, ConsultantFactory])
def test_clinicians_are_refused_the_dashboard_api(factory, icb_with_queue):
    response = client_for(factory()).get(BACKLOG)
    assert response.status_code == 403


def test_an_anonymous_caller_is_asked_to_authenticate():
    assert APIClient().get(BACKLOG).status_code == 401


def test_backlog_agrees_with_the_referrals_of_the_managers_icb(icb_with_queue):
    icb, _ = icb_with_queue
    today = timezone.localdate()
    expected_bands = {"0-18": 0, "18-52": 0, "52-78": 0, "78-104": 0, "104+": 0}
    limits = {"0-18": 18, "18-52": 52, "52-78": 78, "78-104": 104}
    open_referrals = Referral.objects.filter(
        provider__icb=icb, status__in=["awaiting_review", "accepted"]
    )
    for referral in open_referrals:
        weeks = weeks_waited(referral.clock_start, today)
        band = next((label for label, top in limits.items() if weeks < top), "104+")
        expected_bands[band] += 1

    body = client_for(ManagerFactory(organisation=icb)).get(BACKLOG).json()

    assert body["open"] == open_referrals.count() == 10
    assert body["bands"] == expected_bands
    assert body["breached"] == open_referrals.filter(target_date__lt=today).count()
    assert body["unreviewed"] == open_referrals.filter(category__isnull=True).count()


def test_backlog_filters_by_provider_and_treatment_function(icb_with_queue):
    icb, trusts = icb_with_queue
    client = client_for(ManagerFactory(organisation=icb))
    expected = Referral.objects.filter(
        provider=trusts[0], treatment_function_id="110", status="awaiting_review"
    ).count()

    body = client.get(BACKLOG, {"provider": trusts[0].ods_code, "treatment_function": "110"}).json()

    assert body["open"] == expected > 0


def test_a_provider_of_another_icb_matches_nothing_for_a_manager(icb_with_queue):
    icb, _ = icb_with_queue
    other = Referral.objects.exclude(provider__icb=icb).first().provider

    body = client_for(ManagerFactory(organisation=icb)).get(BACKLOG, {"provider": other.ods_code})

    assert body.json()["open"] == 0


def test_an_administrator_sees_every_icb(icb_with_queue):
    body = client_for(UserFactory(role="admin", organisation=None)).get(BACKLOG).json()
    assert body["open"] == 11


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"provider": "R1H; DROP"}, "provider"),
        ({"treatment_function": "11"}, "treatment_function"),
    ],
)
def test_bad_filters_are_field_errors(query, field, icb_with_queue):
    icb, _ = icb_with_queue
    response = client_for(ManagerFactory(organisation=icb)).get(BACKLOG, query)
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"weeks": "0"}, "weeks"),
        ({"weeks": "105"}, "weeks"),
        ({"weeks": "many"}, "weeks"),
        ({"extra_capacity": "-1"}, "extra_capacity"),
        ({"extra_capacity": "1e9"}, "extra_capacity"),
    ],
)
def test_bad_forecast_input_is_a_field_error(query, field, icb_with_queue):
    icb, _ = icb_with_queue
    response = client_for(ManagerFactory(organisation=icb)).get(FORECAST, query)
    assert response.status_code == 400
    assert field in response.json()


def test_a_relief_date_in_the_past_is_a_field_error(icb_with_queue):
    icb, _ = icb_with_queue
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    response = client_for(ManagerFactory(organisation=icb)).get(SERVICES, {"relief_by": yesterday})
    assert response.status_code == 400
    assert "relief_by" in response.json()


def test_services_rows_have_the_contracts_fields(icb_with_queue):
    icb, trusts = icb_with_queue
    snapshot_take()

    body = client_for(ManagerFactory(organisation=icb)).get(SERVICES).json()

    rows = body["results"]
    assert {r["provider"] for r in rows} == {t.ods_code for t in trusts}
    assert set(rows[0]) >= {
        "provider",
        "treatment_function",
        "demand_per_week",
        "capacity_per_week",
        "load",
        "queue_size",
        "target_queue_size",
        "relief_capacity",
        "getting_worse",
    }


def test_services_queue_measures_follow_the_waiting_list_model(settings):
    settings.DASHBOARD_TARGET_WAIT_WEEKS = 18
    row = ServiceSnapshotFactory(open_referrals=500, received_12_weeks=1200, stopped_12_weeks=960)
    relief_by = (row.day + datetime.timedelta(weeks=10)).isoformat()
    manager = ManagerFactory(organisation=row.icb)

    (body,) = client_for(manager).get(SERVICES, {"relief_by": relief_by}).json()["results"]

    assert body["demand_per_week"] == 100.0
    assert body["capacity_per_week"] == 80.0
    assert body["load"] == 1.25
    assert body["queue_size"] == 500
    assert body["target_queue_size"] == 450.0  # 100 x 18 / 4
    # (500 - 450) / 10 weeks + (100 - 80) = 25 a week
    assert body["relief_capacity"] == 25.0


def test_a_service_whose_breaches_rose_three_weeks_running_is_getting_worse():
    provider = TrustFactory()
    for weeks_ago, breached in ((3, 10), (2, 12), (1, 15), (0, 19)):
        ServiceSnapshotFactory(provider=provider, day=days_ago(7 * weeks_ago), breached=breached)
    steady = TrustFactory(icb=provider.icb)
    for weeks_ago, breached in ((3, 10), (2, 12), (1, 11), (0, 19)):
        ServiceSnapshotFactory(provider=steady, day=days_ago(7 * weeks_ago), breached=breached)

    rows = client_for(ManagerFactory(organisation=provider.icb)).get(SERVICES).json()["results"]

    worse = {r["provider"]: r["getting_worse"] for r in rows}
    assert worse == {provider.ods_code: True, steady.ods_code: False}


def test_forecast_has_a_row_a_week_with_the_contracts_fields(icb_with_queue):
    icb, _ = icb_with_queue
    snapshot_take()

    body = client_for(ManagerFactory(organisation=icb)).get(FORECAST, {"weeks": 8}).json()

    assert len(body["results"]) == 8
    assert set(body["results"][0]) == {"week_start", "queue_size", "over_18_weeks", "over_52_weeks"}
    assert (
        body["results"][0]["week_start"]
        == (timezone.localdate() + datetime.timedelta(weeks=1)).isoformat()
    )


def test_extra_capacity_shortens_the_forecast_list():
    ServiceSnapshotFactory(
        open_referrals=300, received_12_weeks=1200, stopped_12_weeks=1200, weeks_waited=[10] * 30
    )
    manager = ManagerFactory(organisation=ServiceSnapshotFactory._meta.model.objects.get().icb)
    client = client_for(manager)

    base = client.get(FORECAST, {"weeks": 10}).json()["results"][-1]["queue_size"]
    more = client.get(FORECAST, {"weeks": 10, "extra_capacity": "20"}).json()["results"][-1]

    assert base == 300
    assert more["queue_size"] == 100


def test_trends_are_the_daily_snapshots_latest_first():
    provider = TrustFactory()
    for days, count in ((2, 90), (1, 95), (0, 100)):
        ServiceSnapshotFactory(provider=provider, day=days_ago(days), open_referrals=count)

    body = client_for(ManagerFactory(organisation=provider.icb)).get(TRENDS).json()

    assert [(r["day"], r["open"]) for r in body["results"]] == [
        (days_ago(0).isoformat(), 100),
        (days_ago(1).isoformat(), 95),
        (days_ago(2).isoformat(), 90),
    ]


@pytest.mark.parametrize("path", [BACKLOG, SERVICES, FORECAST, TRENDS])
def test_every_table_is_a_csv_download_too(path, icb_with_queue):
    icb, _ = icb_with_queue
    snapshot_take()

    response = client_for(ManagerFactory(organisation=icb)).get(path, {"format": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(body)))[1:]


@pytest.mark.parametrize("path", [SERVICES, TRENDS, FORECAST, BACKLOG])
def test_queries_do_not_grow_with_the_services(path):
    icb = IcbFactory()
    client = client_for(ManagerFactory(organisation=icb))

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured)

    for days in (0, 7):
        ServiceSnapshotFactory(provider=TrustFactory(icb=icb), day=days_ago(days))
    few = queries()
    for _ in range(6):
        provider = TrustFactory(icb=icb)
        for days in (0, 7):
            ServiceSnapshotFactory(provider=provider, day=days_ago(days))
    assert queries() == few
