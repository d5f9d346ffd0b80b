"""Queue measures per service from the latest snapshot (docs/product.md §6, §7 ``services/``):
demand, capacity, load, queue size, target queue size, relief capacity, getting worse."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db.models import QuerySet

from dashboards import rules
from dashboards.models import ServiceSnapshot
from dashboards.selectors.scope import Scope, latest_snapshot_day
from triage.selectors.measures import treatment_function_names

SERVICE_COLUMNS = (
    "provider",
    "provider_name",
    "treatment_function",
    "treatment_function_name",
    "demand_per_week",
    "capacity_per_week",
    "load",
    "queue_size",
    "target_queue_size",
    "relief_capacity",
    "getting_worse",
    "mean_weeks_waited",
    "breached",
)


def service_snapshots(scope: Scope, *, day: date | None = None) -> QuerySet[ServiceSnapshot]:
    """The scope's services on ``day`` (the latest snapshot by default), with their provider."""
    day = day or latest_snapshot_day()
    if day is None:
        return ServiceSnapshot.objects.none()
    return (
        ServiceSnapshot.objects.filter(scope.q(function_field="treatment_function"), day=day)
        .select_related("provider")
        .defer("weeks_waited")
    )


def mean_weeks_waited(days_waited: int, open_referrals: int) -> float:
    return days_waited / open_referrals / 7 if open_referrals else 0.0


def _weekly_history(rows: list[ServiceSnapshot], weeks: int) -> dict[tuple, dict[date, tuple]]:
    """(mean wait, breaches) of each service on the same weekday of the last ``weeks`` weeks."""
    if not rows:
        return {}
    day = rows[0].day
    days = [day - timedelta(weeks=n) for n in range(weeks + 1)]
    history: dict[tuple, dict[date, tuple]] = {}
    earlier = ServiceSnapshot.objects.filter(
        day__in=days, provider_id__in={r.provider_id for r in rows}
    ).values_list(
        "provider_id", "treatment_function", "day", "days_waited", "open_referrals", "breached"
    )
    for provider_id, function, on, days_waited, open_referrals, breached in earlier:
        history.setdefault((provider_id, function), {})[on] = (
            mean_weeks_waited(days_waited, open_referrals),
            breached,
        )
    return history


def _series(points: dict[date, tuple], day: date, weeks: int, index: int) -> list[float]:
    """Oldest first, up to ``day``, stopping at the first week with no snapshot."""
    series = []
    for n in range(weeks + 1):
        point = points.get(day - timedelta(weeks=n))
        if point is None:
            break
        series.append(point[index])
    return list(reversed(series))


def service_rows(rows: list[ServiceSnapshot], *, relief_by: date) -> list[dict]:
    """The API's and the page's row for each snapshot row."""
    demand_weeks = settings.DASHBOARD_DEMAND_WEEKS
    running = settings.DASHBOARD_WORSE_WEEKS_RUNNING
    history = _weekly_history(rows, running)
    names = treatment_function_names()
    result = []
    for row in rows:
        measures = rules.queue_measures(
            received=row.received_12_weeks,
            stopped=row.stopped_12_weeks,
            queue_size=row.open_referrals,
            demand_weeks=demand_weeks,
            target_wait_weeks=settings.DASHBOARD_TARGET_WAIT_WEEKS,
            relief_weeks=max(rules.weeks_until(row.day, relief_by), 1 / 7),
        )
        points = history.get((row.provider_id, row.treatment_function), {})
        worse = rules.getting_worse(
            mean_waits=_series(points, row.day, running, 0),
            breaches=_series(points, row.day, running, 1),
            weeks_running=running,
        )
        result.append(
            {
                "provider": row.provider.ods_code,
                "provider_name": row.provider.name,
                "treatment_function": row.treatment_function,
                "treatment_function_name": names.get(row.treatment_function, ""),
                "demand_per_week": round(measures.demand_per_week, 1),
                "capacity_per_week": round(measures.capacity_per_week, 1),
                "load": None if measures.load is None else round(measures.load, 2),
                "queue_size": measures.queue_size,
                "target_queue_size": round(measures.target_queue_size, 1),
                "relief_capacity": round(measures.relief_capacity, 1),
                "getting_worse": worse,
                "mean_weeks_waited": round(
                    mean_weeks_waited(row.days_waited, row.open_referrals), 1
                ),
                "breached": row.breached,
            }
        )
    return result


def dashboard_services(scope: Scope, *, relief_by: date) -> list[dict]:
    """Every service of the scope, largest queue first."""
    rows = list(
        service_snapshots(scope).order_by(
            "-open_referrals", "provider__ods_code", "treatment_function"
        )
    )
    return service_rows(rows, relief_by=relief_by)
