"""DM01, the 6-week diagnostic standard (docs/product.md §3): waits and the share over 6 weeks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from diagnostics.models import BookingStatus
from diagnostics.selectors import booking_wait_days, dm01_summary
from tests.diagnostics.factories import ECG, BookingFactory, SlotFactory, test_type
from tests.factories import DiagnosticHubFactory, IcbFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 1)


def requested(days_ago: int) -> dt.datetime:
    return timezone.make_aware(
        dt.datetime.combine(TODAY - dt.timedelta(days=days_ago), dt.time(12))
    )


def test_wait_of_an_untested_request_runs_to_today():
    booking = BookingFactory(requested_at=requested(50))
    assert booking_wait_days(booking, TODAY) == 50


def test_wait_of_a_tested_request_stops_at_the_test():
    booking = BookingFactory(
        requested_at=requested(50),
        status=BookingStatus.ATTENDED,
        attended_at=requested(10),
    )
    assert booking_wait_days(booking, TODAY) == 40


def test_summary_counts_waits_of_42_days_or_more_per_hub_and_test():
    slot = SlotFactory(capacity=10)
    BookingFactory(slot=slot, requested_at=requested(42))
    BookingFactory(slot=slot, requested_at=requested(41))
    BookingFactory(slot=slot, requested_at=requested(100))
    BookingFactory(slot=slot, requested_at=requested(5))
    [row] = dm01_summary(today=TODAY)
    assert row == {
        "hub": slot.hub.ods_code,
        "hub_name": slot.hub.name,
        "test_type": slot.test_type.code,
        "test_type_name": slot.test_type.name,
        "waiting": 4,
        "over_6_weeks": 2,
        "share_over_6_weeks": Decimal("0.5000"),
    }


def test_tested_cancelled_and_missed_requests_are_not_waiting():
    slot = SlotFactory(capacity=10)
    BookingFactory(slot=slot, requested_at=requested(60), status=BookingStatus.CANCELLED)
    BookingFactory(slot=slot, requested_at=requested(60), status=BookingStatus.DID_NOT_ATTEND)
    BookingFactory(
        slot=slot,
        requested_at=requested(60),
        status=BookingStatus.ATTENDED,
        attended_at=requested(1),
    )
    assert dm01_summary(today=TODAY) == []


def test_summary_is_one_row_per_test_type():
    hub = DiagnosticHubFactory()
    BookingFactory(slot=SlotFactory(hub=hub, capacity=3), requested_at=requested(1))
    BookingFactory(
        slot=SlotFactory(hub=hub, test_type=test_type(ECG), capacity=3), requested_at=requested(1)
    )
    assert {row["test_type"] for row in dm01_summary(today=TODAY)} == {"26604007", ECG}


def test_summary_filters_by_icb_and_hub():
    icb = IcbFactory()
    mine = BookingFactory(slot=SlotFactory(hub=DiagnosticHubFactory(icb=icb), capacity=3))
    other = BookingFactory(slot=SlotFactory(capacity=3))
    assert [r["hub"] for r in dm01_summary(icb_id=icb.pk)] == [mine.slot.hub.ods_code]
    assert [r["hub"] for r in dm01_summary(hub_ids=[other.slot.hub_id])] == [
        other.slot.hub.ods_code
    ]
