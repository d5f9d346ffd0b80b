"""The dashboards' demo (devtools/demo/dashboards.py): today's snapshot and a consistent year
before it, so a manager sees a year of trends from the first run; and nothing twice."""

from __future__ import annotations

import pytest
from django.utils import timezone

from dashboards.models import ServiceSnapshot, SnapshotDay
from dashboards.rules import BAND_FIELDS, CATEGORY_FIELDS
from devtools.demo.dashboards import demo_dashboards
from tests.dashboards.factories import days_ago
from tests.factories import TrustFactory
from tests.triage.factories import ReferralFactory, treatment_function

pytestmark = pytest.mark.django_db


def _demo() -> str:
    return demo_dashboards(organisations={}, users={}, seed=2026)


@pytest.fixture
def demo():
    """A few services' referrals of every wait, then the dashboards' demo section."""
    for trust in (TrustFactory(), TrustFactory()):
        for days in (3, 60, 130, 200, 380, 600, 800):
            ReferralFactory(provider=trust, clock_start=days_ago(days))
        ReferralFactory(provider=trust, treatment_function=treatment_function("120"))
    return _demo()


def test_the_demo_holds_a_year_of_daily_snapshots_up_to_today(demo):
    days = list(SnapshotDay.objects.order_by("day").values_list("day", "backfilled"))
    assert len(days) == 365
    assert days[-1] == (timezone.localdate(), False)
    assert all(backfilled for _, backfilled in days[:-1])


def test_every_backfilled_days_bands_and_categories_add_up_to_its_list(demo):
    for row in ServiceSnapshot.objects.exclude(day=timezone.localdate()).iterator():
        assert sum(getattr(row, f) for f in BAND_FIELDS.values()) == row.open_referrals
        assert sum(getattr(row, f) for f in CATEGORY_FIELDS.values()) == row.open_referrals


def test_each_service_has_a_row_every_day(demo):
    services = ServiceSnapshot.objects.filter(day=timezone.localdate()).count()
    assert services > 0
    assert ServiceSnapshot.objects.count() == services * 365


def test_seeding_again_adds_no_snapshot(demo):
    rows = ServiceSnapshot.objects.count()
    assert _demo() == "Dashboard snapshots already present; left as they are."
    assert ServiceSnapshot.objects.count() == rows


def test_seed_demo_runs_the_dashboards_last():
    from devtools.demo.sections import DEMO_SECTIONS

    assert DEMO_SECTIONS[-1] is demo_dashboards
