"""Pure queue rules of docs/product.md §2: categories, targets, waits. No database, no clock.

Everything that needs "today" takes it as an argument; callers pass
``timezone.localdate()`` (Europe/London), so dates are English local dates.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings

from triage.models import DEFERRED_CATEGORIES, URGENCY_ORDER, Category, Priority, Status

PROVISIONAL_CATEGORY = {
    Priority.TWO_WEEK_WAIT: Category.TWO_WEEK_WAIT,
    Priority.URGENT: Category.P2,
    Priority.ROUTINE: Category.P4,
}
QUEUE_CATEGORIES = ("P1a", "P1b", "P2", "P3", "P4")
LONG_WAIT_DAYS = 364  # 52 weeks
LONG_WAIT_MILESTONES_WEEKS = (52, 78, 104)
# Weeks-waited bands for dashboards and backlog counts (docs/product.md §6).
WAIT_BANDS = (
    ("0-18", 0, 18),
    ("18-52", 18, 52),
    ("52-78", 52, 78),
    ("78-104", 78, 104),
    ("104+", 104, None),
)


def max_wait_days() -> dict[str, int]:
    return dict(settings.TRIAGE_CATEGORY_MAX_WAIT_DAYS)


def effective_category(category: str | None, priority: str) -> str:
    """The reviewed category when it orders the queue, else the provisional one from priority."""
    if category in QUEUE_CATEGORIES:
        return category
    return PROVISIONAL_CATEGORY[Priority(priority)]


def displayed_category(category: str | None, priority: str) -> str:
    """The category a page, the API or an export shows: a patient who chose to wait reads P5
    or P6, never the provisional category their GP's priority would give (the queue's
    ``effective_category`` falls back to it for deferred rows, which the queue never orders)."""
    if category in DEFERRED_CATEGORIES:
        return category
    return effective_category(category, priority)


def urgency_rank(category: str) -> int:
    return URGENCY_ORDER.index(category)


def target_date(clock_start: date, category: str) -> date:
    return clock_start + timedelta(days=max_wait_days()[category])


def days_waited(clock_start: date, today: date) -> int:
    return (today - clock_start).days


def weeks_waited(clock_start: date, today: date) -> int:
    """Completed weeks, as RTT reporting counts them: 364 days is 52 weeks, 363 is 51. Every
    page, the API and the export show this figure, so a wait near 52, 78 or 104 weeks never
    reads differently from one page to the next."""
    return days_waited(clock_start, today) // 7


def days_to_target(target: date, today: date) -> int:
    """Negative once breached; 0 on the target day itself (not yet breached)."""
    return (target - today).days


def is_breached(target: date | None, today: date) -> bool:
    return target is not None and target < today


def is_long_wait(clock_start: date, today: date) -> bool:
    return days_waited(clock_start, today) >= LONG_WAIT_DAYS


def long_wait_weeks(clock_start: date, today: date) -> int | None:
    """The highest long-wait milestone passed (52, 78 or 104 weeks), or None."""
    weeks = weeks_waited(clock_start, today)
    passed = [m for m in LONG_WAIT_MILESTONES_WEEKS if weeks >= m]
    return passed[-1] if passed else None


def wait_band(clock_start: date, today: date) -> str:
    weeks = days_waited(clock_start, today) / 7
    for label, low, high in WAIT_BANDS:
        if weeks >= low and (high is None or weeks < high):
            return label
    return WAIT_BANDS[0][0]


def queue_fields(*, category: str | None, priority: str, clock_start: date) -> dict:
    """The derived queue fields of a referral, by the same rules as the recomputation."""
    effective = effective_category(category, priority)
    return {
        "effective_category": effective,
        "urgency_rank": urgency_rank(effective),
        "target_date": target_date(clock_start, effective),
    }


EARLIEST_CLOCK_START = date(1900, 1, 1)


def clock_start_errors(*, clock_start: date, date_of_birth: date | None, today: date) -> list[str]:
    """Why ``clock_start`` cannot be a referral's RTT clock start, or nothing: it is never in
    the future, before 1900, or before the patient was born (docs/product.md §2: queue order
    runs on the clock start). The one rule for the API, the browser and the PTL import; the
    messages are phrases ("clock start … is in the future") each caller words as it needs."""
    if clock_start > today:
        return [f"clock start {_day(clock_start)} is in the future"]
    if clock_start < EARLIEST_CLOCK_START:
        return [f"clock start {_day(clock_start)} is before {_day(EARLIEST_CLOCK_START)}"]
    if date_of_birth is not None and clock_start < date_of_birth:
        return [
            f"clock start {_day(clock_start)} is before the patient's date of birth "
            f"({_day(date_of_birth)})"
        ]
    return []


def _day(value: date) -> str:
    # "01 Jan 0001": strftime's %Y drops the leading zeros of a year before 1000.
    return f"{value:%d %b} {value.year:04d}"


def long_wait_cutoff(today: date) -> date:
    """Clock starts on or before this date are long waits."""
    return today - timedelta(days=LONG_WAIT_DAYS)


# Allowed status transitions (docs/product.md §2). Anything else is refused with a clear error.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.AWAITING_REVIEW: frozenset(
        {
            Status.UNDER_REVIEW,
            Status.ADVICE_REQUESTED,
            Status.ACCEPTED,
            Status.RETURNED_TO_REFERRER,
            Status.REDIRECTED,
            Status.DISCHARGED,
            Status.CANCELLED,
        }
    ),
    Status.UNDER_REVIEW: frozenset(
        {
            Status.ADVICE_REQUESTED,
            Status.ACCEPTED,
            Status.RETURNED_TO_REFERRER,
            Status.REDIRECTED,
            Status.DISCHARGED,
            Status.CANCELLED,
        }
    ),
    Status.ADVICE_REQUESTED: frozenset({Status.UNDER_REVIEW, Status.DISCHARGED, Status.CANCELLED}),
    Status.ACCEPTED: frozenset({Status.BOOKED, Status.DISCHARGED, Status.CANCELLED}),
    Status.BOOKED: frozenset(
        {Status.ACCEPTED, Status.TREATED, Status.DISCHARGED, Status.CANCELLED}
    ),
    Status.TREATED: frozenset(),
    Status.DISCHARGED: frozenset(),
    Status.RETURNED_TO_REFERRER: frozenset(),
    Status.REDIRECTED: frozenset(),
    Status.CANCELLED: frozenset(),
}
REVIEWABLE_STATUSES = frozenset({Status.AWAITING_REVIEW, Status.UNDER_REVIEW})


def can_transition(from_status: str, to_status: str) -> bool:
    return to_status in TRANSITIONS.get(from_status, frozenset())
