"""Per-service figures for the dashboards (docs/product.md §6), read set-based for the daily
snapshot and the dashboards' live headline; the dashboards app reaches triage only here.

:func:`service_measures` is the snapshot's one pass over the open referrals (grouped by
service and completed weeks waited, so a national list comes back as a few hundred thousand
small rows at most) plus one over the referrals received or stopped in the demand window.
It runs once a day, never on a dashboard request: the pages read the snapshot and
:class:`~triage.models.BacklogSummary`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import connection
from django.db.models import Count, QuerySet

from triage.models import (
    DEFERRED_CATEGORIES,
    OPEN_STATUSES,
    AdviceRequest,
    AdviceStatus,
    BacklogSummary,
    Review,
    TreatmentFunction,
)
from triage.rules import QUEUE_CATEGORIES

# Completed weeks waited are counted one by one up to here; longer waits share the last slot.
HISTOGRAM_WEEKS = 104
# The categories a snapshot counts: the effective one in the queue, P5/P6 for the deferred.
SNAPSHOT_CATEGORIES = ("P1a", "P1b", "2WW", "P2", "P3", "P4", "P5", "P6")


@dataclass
class ServiceMeasures:
    """One service's figures on ``today``. ``weeks[w]`` counts the open referrals that have
    waited ``w`` completed weeks (the last slot: 104 weeks or more)."""

    provider_id: int
    treatment_function: str
    weeks: list[int] = field(default_factory=lambda: [0] * (HISTOGRAM_WEEKS + 1))
    days_waited: int = 0
    deferred: int = 0
    unreviewed: int = 0
    breached: int = 0
    categories: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(SNAPSHOT_CATEGORIES, 0)
    )
    advice_pending: int = 0
    reviews_7_days: int = 0
    received_12_weeks: int = 0
    stopped_12_weeks: int = 0

    @property
    def open_referrals(self) -> int:
        return sum(self.weeks)


def _quoted(values: Iterable[str]) -> str:
    # Only our own constant status and category codes reach here; never user input.
    return ", ".join("'" + str(v).replace("'", "''") + "'" for v in values)


def _days_sql(column: str) -> str:
    """Days from ``column`` to the date parameter: whole days on both databases."""
    if connection.vendor == "postgresql":
        return f"(%s::date - {column})"
    return f"CAST(julianday(%s) - julianday({column}) AS INTEGER)"


def _open_by_week_sql() -> str:
    """The open referrals grouped by service, completed weeks waited and the category shown
    (P5/P6 for the deferred, else the reviewed category, else the provisional one from the
    priority, as ``triage.rules.displayed_category`` says), with the day's flags summed.
    Parameters: today (days waited), today (breached)."""
    queue = _quoted(QUEUE_CATEGORIES)
    shown = (
        f"CASE WHEN category IN ({_quoted(DEFERRED_CATEGORIES)}) OR category IN ({queue}) "
        "THEN category WHEN priority = 'two_week_wait' THEN '2WW' "
        "WHEN priority = 'urgent' THEN 'P2' ELSE 'P4' END"
    )
    # Built only from our own constants (codes, integers) and placeholders.
    return f"""
        SELECT provider_id, treatment_function_id, week, shown, COUNT(*), SUM(days),
            SUM(is_deferred), SUM(is_unreviewed), SUM(is_breached)
        FROM (
            SELECT provider_id, treatment_function_id, shown, days,
                is_deferred, is_unreviewed, is_breached,
                CASE WHEN days >= {HISTOGRAM_WEEKS * 7} THEN {HISTOGRAM_WEEKS}
                     WHEN days < 0 THEN 0 ELSE days / 7 END AS week
            FROM (
                SELECT provider_id, treatment_function_id, {shown} AS shown,
                    {_days_sql("clock_start")} AS days,
                    CASE WHEN deferred THEN 1 ELSE 0 END AS is_deferred,
                    CASE WHEN category IS NULL THEN 1 ELSE 0 END AS is_unreviewed,
                    CASE WHEN NOT deferred AND target_date < %s THEN 1 ELSE 0 END AS is_breached
                FROM triage_referral
                WHERE status IN ({_quoted(OPEN_STATUSES)})
            ) AS open_referral
        ) AS by_week
        GROUP BY provider_id, treatment_function_id, week, shown
    """  # noqa: S608


def _flow_sql() -> str:
    return """
        SELECT provider_id, treatment_function_id,
            SUM(CASE WHEN clock_start > %s AND clock_start <= %s THEN 1 ELSE 0 END),
            SUM(CASE WHEN clock_stopped_on > %s AND clock_stopped_on <= %s THEN 1 ELSE 0 END)
        FROM triage_referral
        WHERE (clock_start > %s AND clock_start <= %s)
           OR (clock_stopped_on > %s AND clock_stopped_on <= %s)
        GROUP BY provider_id, treatment_function_id
    """


def service_measures(*, today: date, demand_weeks: int = 12) -> list[ServiceMeasures]:
    """Every service's figures on ``today``: the open referrals by completed weeks waited
    (bands, breaches, categories, unreviewed, the deferred), advice requests awaiting a reply,
    reviews in the last 7 days, and the referrals received (clock starts) and clocks stopped
    in the last ``demand_weeks`` weeks (docs/product.md §6: demand and capacity)."""
    services: dict[tuple[int, str], ServiceMeasures] = {}

    def service(provider_id: int, function: str) -> ServiceMeasures:
        key = (provider_id, function)
        if key not in services:
            services[key] = ServiceMeasures(provider_id=provider_id, treatment_function=function)
        return services[key]

    with connection.cursor() as cursor:
        cursor.execute(_open_by_week_sql(), [today, today])
        for (
            provider_id,
            function,
            week,
            shown,
            count,
            days,
            deferred,
            unreviewed,
            breached,
        ) in cursor.fetchall():
            row = service(provider_id, function)
            row.weeks[int(week)] += count
            row.days_waited += int(days or 0)
            row.deferred += int(deferred or 0)
            row.unreviewed += int(unreviewed or 0)
            row.breached += int(breached or 0)
            row.categories[shown] += count
        since = today - timedelta(weeks=demand_weeks)
        cursor.execute(_flow_sql(), [since, today] * 4)
        for provider_id, function, received, stopped in cursor.fetchall():
            row = service(provider_id, function)
            row.received_12_weeks = int(received or 0)
            row.stopped_12_weeks = int(stopped or 0)
    advice = (
        AdviceRequest.objects.filter(status=AdviceStatus.AWAITING_REPLY)
        .order_by()
        .values_list("provider_id", "treatment_function_id")
        .annotate(n=Count("id"))
    )
    for provider_id, function, count in advice:
        service(provider_id, function).advice_pending = count
    reviews = (
        Review.objects.filter(created_at__date__gt=today - timedelta(days=7))
        .order_by()
        .values_list("referral__provider_id", "referral__treatment_function_id")
        .annotate(n=Count("id"))
    )
    for provider_id, function, count in reviews:
        service(provider_id, function).reviews_7_days = count
    return sorted(services.values(), key=lambda s: (s.provider_id, s.treatment_function))


def backlog_summaries_all() -> QuerySet[BacklogSummary]:
    """Every service's backlog summary row: the dashboards narrow it to the caller's ICB."""
    return BacklogSummary.objects.all()


def advice_pending_count(
    *, provider_ids: QuerySet | list[int], treatment_function: str = ""
) -> int:
    """Advice requests awaiting a reply at these providers (the provider-status index)."""
    requests = AdviceRequest.objects.filter(
        status=AdviceStatus.AWAITING_REPLY, provider_id__in=provider_ids
    )
    if treatment_function:
        requests = requests.filter(treatment_function_id=treatment_function)
    return requests.count()


def treatment_function_names() -> dict[str, str]:
    """Reference data: code → name (e.g. "110" → "Trauma and Orthopaedics")."""
    return dict(TreatmentFunction.objects.values_list("code", "name"))
