"""The waiting list over the coming weeks at current demand and capacity, with a what-if for
extra capacity (docs/product.md §6, §7 ``forecast/``; the model: ``dashboards.rules``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings

from dashboards import rules
from dashboards.models import ServiceSnapshot
from dashboards.selectors.scope import Scope
from dashboards.selectors.services import service_snapshots


@dataclass(frozen=True)
class Forecast:
    start: date | None
    weeks: int
    extra_capacity: float
    demand_per_week: float
    capacity_per_week: float
    queue_size: int
    target_queue_size: float
    rows: list[rules.ForecastWeek]

    @property
    def reaches_target(self) -> date | None:
        """The first week the list is at or under its target size, if within the horizon."""
        if self.queue_size <= self.target_queue_size:
            return self.start
        return next(
            (r.week_start for r in self.rows if r.queue_size <= self.target_queue_size), None
        )

    @property
    def no_18_week_waits(self) -> date | None:
        """The first week no one has waited 18 weeks or more, if within the horizon."""
        return next((r.week_start for r in self.rows if r.over_18_weeks < 0.5), None)


def histogram_of(row: ServiceSnapshot) -> list[float]:
    """The service's list by completed weeks waited; a day kept without one (backfilled) is
    spread evenly across each band's weeks."""
    if row.weeks_waited:
        return [float(v) for v in row.weeks_waited]
    histogram = [0.0] * (rules.HISTOGRAM_WEEKS + 1)
    for label, low, high in rules.BANDS:
        count = getattr(row, rules.BAND_FIELDS[label])
        top = high if high is not None else rules.HISTOGRAM_WEEKS + 1
        for weeks in range(low, top):
            histogram[weeks] = count / (top - low)
    return histogram


def dashboard_forecast(scope: Scope, *, weeks: int, extra_capacity: float) -> Forecast:
    """Each service of the scope forecast on its own (capacity is not shared between
    services), then added up; the extra capacity is shared between the services in
    proportion to their demand."""
    demand_weeks = settings.DASHBOARD_DEMAND_WEEKS
    rows = list(service_snapshots(scope).defer(None))
    demands = [rules.per_week(r.received_12_weeks, demand_weeks) for r in rows]
    capacities = [rules.per_week(r.stopped_12_weeks, demand_weeks) for r in rows]
    extras = rules.share(extra_capacity, demands)
    start = rows[0].day if rows else None
    totals: list[list[float]] = [[0.0, 0.0, 0.0] for _ in range(weeks)]
    for row, demand, capacity, extra in zip(rows, demands, capacities, extras, strict=True):
        projected = rules.forecast_totals(
            histogram_of(row), demand=demand, capacity=capacity + extra, weeks=weeks
        )
        for n, (queue, over_18, over_52) in enumerate(projected):
            totals[n][0] += queue
            totals[n][1] += over_18
            totals[n][2] += over_52
    forecast_rows = []
    if start is not None:
        forecast_rows = [
            rules.ForecastWeek(
                week_start=rules.forecast_week_start(start, n + 1),
                queue_size=queue,
                over_18_weeks=over_18,
                over_52_weeks=over_52,
            )
            for n, (queue, over_18, over_52) in enumerate(totals)
        ]
    demand = sum(demands)
    return Forecast(
        start=start,
        weeks=weeks,
        extra_capacity=extra_capacity,
        demand_per_week=demand,
        capacity_per_week=sum(capacities),
        queue_size=sum(r.open_referrals for r in rows),
        target_queue_size=rules.target_queue_size(demand, settings.DASHBOARD_TARGET_WAIT_WEEKS),
        rows=forecast_rows,
    )
