"""The daily snapshot (docs/product.md §6): once a day whatever the number of runs, by beat and
by run_sweeps, and its figures are the referrals' own."""

from __future__ import annotations

import datetime
import io
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from dashboards.models import ServiceSnapshot, SnapshotDay
from dashboards.services import snapshot_take
from tests.factories import TrustFactory
from tests.triage.factories import AdviceRequestFactory, ReferralFactory, treatment_function

pytestmark = pytest.mark.django_db


def _referral(trust, *, days: int, **kwargs):
    return ReferralFactory(
        provider=trust, clock_start=timezone.localdate() - datetime.timedelta(days=days), **kwargs
    )


def test_a_second_run_on_the_same_day_takes_no_second_snapshot():
    trust = TrustFactory()
    _referral(trust, days=10)

    first = snapshot_take()
    _referral(trust, days=20)
    second = snapshot_take()

    assert (first.taken, second.taken) == (True, False)
    assert SnapshotDay.objects.count() == 1
    assert ServiceSnapshot.objects.get().open_referrals == 1


def test_run_sweeps_takes_the_days_snapshot():
    _referral(TrustFactory(), days=10)
    out = io.StringIO()

    try:
        call_command("run_sweeps", stdout=out)
    except CommandError as error:  # another app's sweep failing must not hide ours
        assert "dashboards" not in str(error)

    assert SnapshotDay.objects.filter(day=timezone.localdate()).exists()
    assert f"dashboards.daily_snapshot: snapshot of {timezone.localdate()} taken" in out.getvalue()


def test_the_sweep_is_scheduled_for_beat(settings):
    assert "dashboards.daily_snapshot" in settings.SWEEPS_SCHEDULE


def test_bands_count_completed_weeks_half_open():
    trust = TrustFactory()
    for days in (125, 126, 363, 364, 545, 546, 727, 728):
        _referral(trust, days=days)

    snapshot_take()

    row = ServiceSnapshot.objects.get()
    # 126 days is exactly 18 weeks: in 18-52; 364 days is 52 weeks: in 52-78, and so on.
    assert (row.band_0_18, row.band_18_52, row.band_52_78, row.band_78_104, row.band_104_plus) == (
        1,
        2,
        2,
        2,
        1,
    )
    assert row.weeks_waited[17] == 1 and row.weeks_waited[18] == 1
    assert row.weeks_waited[104] == 1


def test_snapshot_counts_categories_breaches_unreviewed_and_deferred():
    trust = TrustFactory()
    _referral(trust, days=200)  # routine: provisional P4, breached after 126 days
    _referral(trust, days=5, priority="urgent")  # provisional P2
    _referral(trust, days=40, category="P3", status="accepted")
    _referral(trust, days=40, category="P5", deferred=True, contact_on=timezone.localdate())
    _referral(trust, days=40, status="treated", clock_stopped_on=timezone.localdate())

    snapshot_take()

    row = ServiceSnapshot.objects.get()
    assert row.open_referrals == 4
    assert (row.category_p4, row.category_p2, row.category_p3, row.category_p5) == (1, 1, 1, 1)
    assert row.breached == 1
    assert row.unreviewed == 2
    assert row.deferred == 1


def test_snapshot_counts_demand_and_capacity_over_twelve_weeks():
    trust = TrustFactory()
    today = timezone.localdate()
    _referral(trust, days=10)
    _referral(trust, days=83)
    _referral(trust, days=84)  # received exactly 12 weeks ago: outside the window
    _referral(
        trust, days=300, status="treated", clock_stopped_on=today - datetime.timedelta(days=3)
    )
    _referral(
        trust, days=300, status="discharged", clock_stopped_on=today - datetime.timedelta(days=90)
    )

    snapshot_take()

    row = ServiceSnapshot.objects.get()
    assert (row.received_12_weeks, row.stopped_12_weeks) == (2, 1)


def test_snapshot_counts_advice_awaiting_a_reply_by_service():
    advice = AdviceRequestFactory()
    referral = advice.referral

    snapshot_take()

    row = ServiceSnapshot.objects.get(provider=referral.provider)
    assert row.advice_pending == 1
    assert row.icb_id == referral.provider.icb_id


def test_each_service_has_its_own_row():
    trust = TrustFactory()
    _referral(trust, days=10)
    _referral(trust, days=10, treatment_function=treatment_function("120"))

    snapshot_take()

    assert sorted(ServiceSnapshot.objects.values_list("treatment_function", flat=True)) == [
        "110",
        "120",
    ]


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_take_one_snapshot(postgres):
    _referral(TrustFactory(), days=10)
    results, barrier = [], threading.Barrier(2)

    def run():
        try:
            barrier.wait()
            results.append(snapshot_take().taken)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results) == [False, True]
    assert ServiceSnapshot.objects.count() == 1
