"""The dashboards' arithmetic (docs/product.md §6), pure: no database, no clock.

Weeks-waited bands, the standard waiting-list model's queue measures (demand, capacity, load,
target queue size, relief capacity), "getting worse", and the forecast of the waiting list
week by week. docs/dashboards.md states each rule in words and how the forecast was checked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

# Half-open bands in completed weeks: exactly 18 weeks is in 18-52 (docs/product.md §6).
BANDS = (
    ("0-18", 0, 18),
    ("18-52", 18, 52),
    ("52-78", 52, 78),
    ("78-104", 78, 104),
    ("104+", 104, None),
)
BAND_FIELDS = {
    "0-18": "band_0_18",
    "18-52": "band_18_52",
    "52-78": "band_52_78",
    "78-104": "band_78_104",
    "104+": "band_104_plus",
}
HISTOGRAM_WEEKS = 104  # the last slot of a weeks-waited histogram holds 104 weeks and more
CATEGORY_FIELDS = {
    "P1a": "category_p1a",
    "P1b": "category_p1b",
    "2WW": "category_2ww",
    "P2": "category_p2",
    "P3": "category_p3",
    "P4": "category_p4",
    "P5": "category_p5",
    "P6": "category_p6",
}


def band_of(weeks_waited: int) -> str:
    """The band of a wait of ``weeks_waited`` completed weeks."""
    for label, low, high in BANDS:
        if weeks_waited >= low and (high is None or weeks_waited < high):
            return label
    return BANDS[0][0]


def bands_of(histogram: Sequence[float]) -> dict[str, float]:
    """Band totals of a histogram by completed weeks waited (index = weeks)."""
    totals = {label: 0 for label, _, _ in BANDS}
    for weeks, count in enumerate(histogram):
        totals[band_of(weeks)] += count
    return totals


def over(histogram: Sequence[float], weeks: int) -> float:
    """How many have waited ``weeks`` completed weeks or more."""
    return sum(histogram[weeks:])


# The standard waiting-list model


@dataclass(frozen=True)
class QueueMeasures:
    demand_per_week: float
    capacity_per_week: float
    load: float | None  # None when there is no capacity to divide by
    queue_size: int
    target_queue_size: float
    relief_capacity: float


def per_week(count: int, weeks: int) -> float:
    return count / weeks if weeks else 0.0


def load_of(demand: float, capacity: float) -> float | None:
    """Load = demand / capacity: above 1 the queue grows. None without capacity."""
    return demand / capacity if capacity else None


def target_queue_size(demand: float, target_wait_weeks: int) -> float:
    """Target queue size = demand × target wait (weeks) / 4: the list a service can hold and
    still see its patients within the target wait."""
    return demand * target_wait_weeks / 4


def relief_capacity(
    *, queue_size: float, target: float, demand: float, capacity: float, weeks: float
) -> float:
    """Extra removals a week, on top of today's capacity, that bring the queue from
    ``queue_size`` down to ``target`` in ``weeks`` weeks while demand keeps arriving:
    (queue − target) / weeks + demand − capacity, and never below nothing."""
    if weeks <= 0:
        raise ValueError("weeks must be positive")
    return max(0.0, (queue_size - target) / weeks + demand - capacity)


def queue_measures(
    *,
    received: int,
    stopped: int,
    queue_size: int,
    demand_weeks: int,
    target_wait_weeks: int,
    relief_weeks: float,
) -> QueueMeasures:
    demand = per_week(received, demand_weeks)
    capacity = per_week(stopped, demand_weeks)
    target = target_queue_size(demand, target_wait_weeks)
    return QueueMeasures(
        demand_per_week=demand,
        capacity_per_week=capacity,
        load=load_of(demand, capacity),
        queue_size=queue_size,
        target_queue_size=target,
        relief_capacity=relief_capacity(
            queue_size=queue_size,
            target=target,
            demand=demand,
            capacity=capacity,
            weeks=relief_weeks,
        ),
    )


def weeks_until(today: date, by: date) -> float:
    return (by - today).days / 7


def rising_weeks_running(series: Sequence[float]) -> int:
    """How many weeks running, up to the latest, the figure rose (oldest first)."""
    count = 0
    for earlier, later in zip(reversed(series[:-1]), reversed(series[1:]), strict=True):
        if later > earlier:
            count += 1
        else:
            break
    return count


def getting_worse(
    *, mean_waits: Sequence[float], breaches: Sequence[float], weeks_running: int
) -> bool:
    """A service is getting worse when its mean wait, or its breaches, rose week on week for
    at least ``weeks_running`` weeks up to now. Both series are weekly, oldest first."""
    return (
        rising_weeks_running(mean_waits) >= weeks_running
        or rising_weeks_running(breaches) >= weeks_running
    )


# The forecast


@dataclass(frozen=True)
class ForecastWeek:
    week_start: date
    queue_size: float
    over_18_weeks: float
    over_52_weeks: float


def forecast_step(histogram: list[float], *, demand: float, capacity: float) -> list[float]:
    """One week of the waiting list: everyone waits a week more, a week's referrals join at
    0 weeks, and a week's capacity removes the longest waiters first (the queue's "earliest
    target first" order reduces, for a list of routine waits, to the earliest clock start)."""
    aged = [0.0, *histogram[:-2], histogram[-2] + histogram[-1]]
    aged[0] += demand
    removing = capacity
    for weeks in range(len(aged) - 1, -1, -1):
        if removing <= 0:
            break
        taken = min(aged[weeks], removing)
        aged[weeks] -= taken
        removing -= taken
    return aged


def forecast_totals(
    histogram: Sequence[float], *, demand: float, capacity: float, weeks: int
) -> list[tuple[float, float, float]]:
    """(list, 18 weeks or more, 52 weeks or more) for each of the next ``weeks`` weeks: the
    same weeks as :func:`forecast_step` applied again and again, kept by clock-start week
    instead (so nobody is moved as the weeks pass, and the dashboards can forecast a few
    thousand services in a request)."""
    # cohorts[p]: those whose clock started (top - p) weeks before today; today's longest wait
    # is at p = 0, and the week-n referrals are appended at p = top + n.
    cohorts = [float(v) for v in reversed(list(histogram))] or [0.0]
    top = len(cohorts) - 1
    head = 0  # the first cohort with anyone left: removals take from here
    rows = []
    for n in range(1, weeks + 1):
        cohorts.append(float(demand))
        removing = capacity
        while removing > 0 and head < len(cohorts):
            taken = min(cohorts[head], removing)
            cohorts[head] -= taken
            removing -= taken
            if cohorts[head] <= 0:
                head += 1
        # Cohort p has waited (top + n - p) weeks in week n.
        rows.append(
            (
                sum(cohorts[head:]),
                sum(cohorts[head : max(head, top + n - 18 + 1)]),
                sum(cohorts[head : max(head, top + n - 52 + 1)]),
            )
        )
    return rows


def forecast_week_start(start: date, n: int) -> date:
    """The day ``n`` weeks after ``start``: forecast row ``n`` is the list on that day."""
    return start + timedelta(weeks=n)


def forecast(
    histogram: Sequence[float],
    *,
    demand: float,
    capacity: float,
    weeks: int,
    start: date,
) -> list[ForecastWeek]:
    """The waiting list over the next ``weeks`` weeks at ``demand`` referrals and ``capacity``
    removals a week, from today's list by completed weeks waited (``histogram``, 0 to 104+).
    Row ``n`` is the list ``n`` weeks from ``start``."""
    return [
        ForecastWeek(
            week_start=forecast_week_start(start, n),
            queue_size=queue,
            over_18_weeks=over_18,
            over_52_weeks=over_52,
        )
        for n, (queue, over_18, over_52) in enumerate(
            forecast_totals(histogram, demand=demand, capacity=capacity, weeks=weeks), start=1
        )
    ]


def share(amount: float, weights: Sequence[float]) -> list[float]:
    """``amount`` shared in proportion to ``weights`` (equally when they are all nothing)."""
    total = sum(weights)
    if not weights:
        return []
    if total <= 0:
        return [amount / len(weights)] * len(weights)
    return [amount * w / total for w in weights]


def change(now: float | None, then: float | None) -> float | None:
    """The change since ``then``, or None when there is no figure to compare with."""
    if now is None or then is None:
        return None
    return now - then
