"""Pure diagnostics rules: DM01 waits and result-alert timing (docs/product.md §3)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from diagnostics import rules

# Easter 2026: Good Friday 3 April, Easter Monday 6 April (English bank holidays).
EASTER_2026 = [dt.date(2026, 4, 3), dt.date(2026, 4, 6)]
WORKING = rules.working_day_checker(EASTER_2026)


def test_wait_counts_from_request_to_test():
    assert rules.wait_days(dt.date(2026, 1, 1), dt.date(2026, 2, 12), dt.date(2026, 6, 1)) == 42


def test_wait_runs_to_today_while_untested():
    assert rules.wait_days(dt.date(2026, 1, 1), None, dt.date(2026, 1, 31)) == 30


def test_42_days_is_over_6_weeks_and_41_is_not():
    assert rules.is_over_6_weeks(42)
    assert not rules.is_over_6_weeks(41)


def test_share_is_a_four_place_decimal_and_zero_for_nothing_waiting():
    assert rules.share(1, 3) == Decimal("0.3333")
    assert rules.share(0, 0) == Decimal("0")


def test_reported_at_in_the_future_is_refused():
    now = dt.datetime(2026, 3, 2, 12, 0)
    errors = rules.reported_at_errors(
        reported_at=now + dt.timedelta(minutes=1), slot_starts_at=now, now=now
    )
    assert errors == ["A result cannot be reported in the future."]


def test_reported_before_the_appointment_is_refused():
    now = dt.datetime(2026, 3, 2, 12, 0)
    errors = rules.reported_at_errors(
        reported_at=now - dt.timedelta(hours=2), slot_starts_at=now - dt.timedelta(hours=1), now=now
    )
    assert errors


def test_abnormal_result_reported_monday_is_due_wednesday_same_time():
    due = rules.result_alert_due_at(
        reported_at=dt.datetime(2026, 3, 2, 10, 0),  # Monday
        abnormal=True,
        abnormal_working_days=2,
        normal_days=7,
        is_working_day=WORKING,
    )
    assert due == dt.datetime(2026, 3, 4, 10, 0)


def test_abnormal_result_reported_friday_skips_the_weekend():
    due = rules.result_alert_due_at(
        reported_at=dt.datetime(2026, 3, 6, 10, 0),  # Friday
        abnormal=True,
        abnormal_working_days=2,
        normal_days=7,
        is_working_day=WORKING,
    )
    assert due == dt.datetime(2026, 3, 10, 10, 0)  # Tuesday


def test_abnormal_result_reported_before_easter_skips_the_bank_holidays():
    due = rules.result_alert_due_at(
        reported_at=dt.datetime(2026, 4, 2, 15, 0),  # Thursday before Good Friday
        abnormal=True,
        abnormal_working_days=2,
        normal_days=7,
        is_working_day=WORKING,
    )
    # Thursday 15:00 → Tuesday 7th (one day), Wednesday 8th at 15:00 (two).
    assert due == dt.datetime(2026, 4, 8, 15, 0)


def test_abnormal_result_reported_on_saturday_is_due_at_the_end_of_tuesday():
    due = rules.result_alert_due_at(
        reported_at=dt.datetime(2026, 3, 7, 9, 0),
        abnormal=True,
        abnormal_working_days=2,
        normal_days=7,
        is_working_day=WORKING,
    )
    assert due == dt.datetime(2026, 3, 11, 0, 0)


def test_normal_result_is_due_after_calendar_days():
    due = rules.result_alert_due_at(
        reported_at=dt.datetime(2026, 4, 2, 15, 0),
        abnormal=False,
        abnormal_working_days=2,
        normal_days=7,
        is_working_day=WORKING,
    )
    assert due == dt.datetime(2026, 4, 9, 15, 0)


def test_working_days_before_is_the_inverse_of_the_due_time():
    reported = dt.datetime(2026, 4, 2, 15, 0)
    due = rules.result_alert_due_at(
        reported_at=reported,
        abnormal=True,
        abnormal_working_days=2,
        normal_days=7,
        is_working_day=WORKING,
    )
    assert rules.working_days_before(due, 2, WORKING) == reported


def test_working_days_before_a_weekend_now_counts_back_from_friday_midnight():
    saturday = dt.datetime(2026, 3, 7, 12, 0)
    assert rules.working_days_before(saturday, 2, WORKING) == dt.datetime(2026, 3, 5, 0, 0)


def test_booking_may_be_cancelled_only_while_booked():
    assert rules.can_transition("booked", "cancelled")
    assert not rules.can_transition("attended", "cancelled")
    assert not rules.can_transition("cancelled", "booked")


def test_template_rows_space_slots_by_the_interval():
    times = rules.template_start_times(
        week_start=dt.date(2026, 3, 2),
        weekday=2,
        start=dt.time(9, 0),
        count=3,
        interval_minutes=20,
    )
    assert times == [
        dt.datetime(2026, 3, 4, 9, 0),
        dt.datetime(2026, 3, 4, 9, 20),
        dt.datetime(2026, 3, 4, 9, 40),
    ]
