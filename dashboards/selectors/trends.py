"""The daily snapshots as a series (docs/product.md §6, §7 ``trends/``): one row a day of the
scope's totals, from indexed ranges of the snapshot tables (never the referrals)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import QuerySet, Sum

from dashboards.models import (
    BudgetSnapshot,
    ComplianceSnapshot,
    DiagnosticSnapshot,
    ServiceSnapshot,
    SnapshotDay,
)
from dashboards.selectors.scope import Scope

SERVICE_SUMS = (
    "open_referrals",
    "band_0_18",
    "band_18_52",
    "band_52_78",
    "band_78_104",
    "band_104_plus",
    "breached",
    "unreviewed",
    "deferred",
    "advice_pending",
    "reviews_7_days",
    "received_12_weeks",
    "stopped_12_weeks",
)
TREND_COLUMNS = (
    "day",
    "open",
    "band_0_18",
    "band_18_52",
    "band_52_78",
    "band_78_104",
    "band_104_plus",
    "breached",
    "unreviewed",
    "deferred",
    "advice_pending",
    "reviews_7_days",
    "received_12_weeks",
    "stopped_12_weeks",
    "diagnostics_waiting",
    "diagnostics_over_6_weeks",
    "budget_amount",
    "budget_spent",
    "budget_committed",
    "obligations_due",
    "obligations_met",
    "obligations_met_late",
    "obligations_overdue",
)


def snapshot_days(*, since: date | None = None, until: date | None = None) -> QuerySet[SnapshotDay]:
    days = SnapshotDay.objects.all()
    if since is not None:
        days = days.filter(day__gte=since)
    if until is not None:
        days = days.filter(day__lte=until)
    return days


def _by_day(queryset, sums: dict) -> dict[date, dict]:
    return {row.pop("day"): row for row in queryset.order_by().values("day").annotate(**sums)}


def trend_rows(scope: Scope, days: Iterable[date]) -> list[dict]:
    """One row for each of ``days`` (oldest first) with the scope's totals that day; a day
    whose snapshot holds nothing in scope reads zeros."""
    days = sorted(set(days))
    if not days:
        return []
    window = {"day__gte": days[0], "day__lte": days[-1]}
    services = _by_day(
        ServiceSnapshot.objects.filter(scope.q(function_field="treatment_function"), **window),
        {name: Sum(name) for name in SERVICE_SUMS},
    )
    diagnostics = _by_day(
        DiagnosticSnapshot.objects.filter(scope.q(provider_field="hub"), **window),
        {"waiting": Sum("waiting"), "over": Sum("over_6_weeks")},
    )
    # Budgets are the ICB's, whichever provider or service is chosen.
    budgets = _by_day(
        BudgetSnapshot.objects.filter(Scope(icb_id=scope.icb_id).q(), **window),
        {"amount": Sum("amount"), "spent": Sum("spent"), "committed": Sum("committed")},
    )
    compliance = _by_day(
        ComplianceSnapshot.objects.filter(scope.q(), **window),
        {"due": Sum("due"), "met": Sum("met"), "late": Sum("met_late"), "over": Sum("overdue")},
    )
    rows = []
    for day in days:
        service = services.get(day, {})
        diagnostic = diagnostics.get(day, {})
        budget = budgets.get(day, {})
        duty = compliance.get(day, {})
        row = {"day": day, "open": service.get("open_referrals") or 0}
        row.update({name: service.get(name) or 0 for name in SERVICE_SUMS[1:]})
        row.update(
            diagnostics_waiting=diagnostic.get("waiting") or 0,
            diagnostics_over_6_weeks=diagnostic.get("over") or 0,
            budget_amount=budget.get("amount") or 0,
            budget_spent=budget.get("spent") or 0,
            budget_committed=budget.get("committed") or 0,
            obligations_due=duty.get("due") or 0,
            obligations_met=duty.get("met") or 0,
            obligations_met_late=duty.get("late") or 0,
            obligations_overdue=duty.get("over") or 0,
        )
        rows.append(row)
    return rows


def dashboard_trends(scope: Scope, *, since: date | None = None) -> list[dict]:
    """Every snapshot day since ``since`` (all when None), oldest first."""
    days = snapshot_days(since=since).order_by("day").values_list("day", flat=True)
    return trend_rows(scope, list(days))
