"""Pure diagnostics rules of docs/product.md §3: DM01 waits, result-alert timing, the booking
life cycle. No database, no clock: callers pass "today" or "now" (Europe/London local).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from diagnostics.models import BookingStatus

# DM01, the 6-week diagnostic standard: from request to test within 42 days. A wait of 42
# days or more is counted as 6 weeks or more (a national rule, not a setting).
DM01_STANDARD_DAYS = 42

# Statuses in which a request still waits for its test (DM01's waiting list).
WAITING_STATUSES = frozenset({BookingStatus.BOOKED})
# Allowed changes of a booking (docs/diagnostics.md, Rules).
TRANSITIONS: dict[str, frozenset[str]] = {
    BookingStatus.BOOKED: frozenset(
        {BookingStatus.ATTENDED, BookingStatus.DID_NOT_ATTEND, BookingStatus.CANCELLED}
    ),
    BookingStatus.ATTENDED: frozenset(),
    BookingStatus.DID_NOT_ATTEND: frozenset(),
    BookingStatus.CANCELLED: frozenset(),
}


def can_transition(from_status: str, to_status: str) -> bool:
    return to_status in TRANSITIONS.get(from_status, frozenset())


def wait_days(requested_on: date, tested_on: date | None, today: date) -> int:
    """DM01 wait: from the request to the test, or to today while the test is still to come."""
    return ((tested_on or today) - requested_on).days


def is_over_6_weeks(days: int) -> bool:
    return days >= DM01_STANDARD_DAYS


def dm01_cutoff(today: date) -> date:
    """Requests made on or before this date have waited 6 weeks or more by today."""
    return today - timedelta(days=DM01_STANDARD_DAYS)


def share(part: int, whole: int) -> Decimal:
    """``part / whole`` to four places (0 when there is nothing to share)."""
    if whole <= 0:
        return Decimal("0")
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def slot_errors(*, starts_at: datetime, capacity: int, now: datetime) -> dict[str, list[str]]:
    """Why a slot cannot be created as given, by field, or nothing."""
    errors: dict[str, list[str]] = {}
    if starts_at <= now:
        errors["starts_at"] = ["A slot must start in the future."]
    if capacity < 1:
        errors["capacity"] = ["A slot has room for at least one patient."]
    return errors


def reported_at_errors(
    *, reported_at: datetime, slot_starts_at: datetime, now: datetime
) -> list[str]:
    """A result is reported after its slot started and never in the future (docs/product.md §3)."""
    if reported_at > now:
        return ["A result cannot be reported in the future."]
    if reported_at < slot_starts_at:
        return ["A result cannot be reported before its appointment started."]
    return []


@dataclass(frozen=True)
class SlotTemplateRow:
    """One line of a week's template: ``count`` slots of ``test_type`` on ``weekday`` (0 is
    Monday), the first at ``start`` and each next one ``interval_minutes`` later (the test
    type's usual length when not given)."""

    weekday: int
    start: time
    test_type: object
    capacity: int = 1
    count: int = 1
    interval_minutes: int | None = None


def template_start_times(
    *, week_start: date, weekday: int, start: time, count: int, interval_minutes: int
) -> list[datetime]:
    """The naive local start times of one template row (the caller makes them aware)."""
    day = week_start + timedelta(days=weekday)
    first = datetime.combine(day, start)
    return [first + timedelta(minutes=interval_minutes * i) for i in range(count)]


# Result alerts -------------------------------------------------------------------------------

IsWorkingDay = Callable[[date], bool]


def working_day_checker(bank_holidays: Iterable[date]) -> IsWorkingDay:
    """Monday to Friday, except the given bank holidays."""
    closed = frozenset(bank_holidays)
    return lambda day: day.weekday() < 5 and day not in closed


def working_days_before(now: datetime, days: int, is_working_day: IsWorkingDay) -> datetime:
    """The instant ``days`` working days of elapsed time before ``now`` (naive local times).

    Only the hours of working days count: a result reported on Monday at 10:00 has had 2
    working days on Wednesday at 10:00; one reported on Friday at 10:00, on Tuesday at 10:00;
    one reported on Saturday, at the end of Tuesday. A result reported at or before the
    instant returned has waited ``days`` working days by ``now``.
    """
    remaining = timedelta(days=days)
    day, end = now.date(), now
    # Bounded: a year of days without a working day would be a broken calendar.
    for _ in range(366 + days * 7):
        start = datetime.combine(day, time.min)
        if is_working_day(day):
            if end - start >= remaining:
                return end - remaining
            remaining -= end - start
        day, end = day - timedelta(days=1), start
    raise ValueError("No working days found in the calendar.")


def result_alert_due_at(
    *,
    reported_at: datetime,
    abnormal: bool,
    abnormal_working_days: int,
    normal_days: int,
    is_working_day: IsWorkingDay,
) -> datetime:
    """When an unacknowledged result becomes overdue (naive local times): abnormal results after
    ``abnormal_working_days`` working days, others after ``normal_days`` calendar days."""
    if not abnormal:
        return reported_at + timedelta(days=normal_days)
    remaining = timedelta(days=abnormal_working_days)
    cursor = reported_at
    for _ in range(366 + abnormal_working_days * 7):
        next_day = datetime.combine(cursor.date() + timedelta(days=1), time.min)
        if is_working_day(cursor.date()):
            available = next_day - cursor
            if available >= remaining:
                return cursor + remaining
            remaining -= available
        cursor = next_day
    raise ValueError("No working days found in the calendar.")


def local_day_start(day: date) -> datetime:
    """Midnight at the start of ``day`` in Europe/London, as an aware datetime."""
    return timezone.make_aware(datetime.combine(day, time.min))


def booking_tested_on(booking) -> date | None:
    """The local date of the test, once attended."""
    if booking.attended_at is None:
        return None
    return timezone.localdate(booking.attended_at)


def booking_wait_days(booking, today: date) -> int:
    """A booking's DM01 wait in days: from its request to its test, or to today while the test
    is still to come. A cancelled or missed test's wait stops the day it was closed."""
    requested_on = timezone.localdate(booking.requested_at)
    tested_on = booking_tested_on(booking)
    if tested_on is None and booking.status not in WAITING_STATUSES:
        tested_on = timezone.localdate(booking.updated_at)
    return wait_days(requested_on, tested_on, today)
