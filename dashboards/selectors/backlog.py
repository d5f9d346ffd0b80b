"""The backlog's headline figures (docs/product.md §6, §7 ``backlog/``): today's from triage's
backlog summary (rebuilt by every queue recomputation) and an indexed count of advice
requests, never a scan of the referrals; last week's and last month's from the snapshots."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, Min, Sum

from dashboards import rules
from dashboards.models import DiagnosticSnapshot, ServiceSnapshot
from dashboards.selectors.scope import Scope, latest_snapshot_day
from triage.selectors.measures import (
    advice_pending_count,
    backlog_summaries_all,
    treatment_function_names,
)

SUMMARY_FIELDS = (
    "open_referrals",
    "breached",
    "unreviewed",
    "waits_52_plus",
    *rules.BAND_FIELDS.values(),
)
# Compared with: a week ago, and four weeks ago ("last month", on the same weekday).
COMPARED_DAYS = {"last_week": 7, "last_month": 28}
# A snapshot up to this many days older than the day compared with still stands in for it (a
# missed run); an older one does not, and the change is not shown.
COMPARE_TOLERANCE_DAYS = 3


@dataclass(frozen=True)
class Backlog:
    open: int
    bands: dict[str, int]
    breached: int
    unreviewed: int
    advice_pending: int
    diagnostics_over_6_weeks: int
    waits_52_plus: int
    as_of: datetime | None
    services: int

    def as_dict(self) -> dict:
        return {
            "open": self.open,
            "bands": self.bands,
            "breached": self.breached,
            "unreviewed": self.unreviewed,
            "advice_pending": self.advice_pending,
            "diagnostics_over_6_weeks": self.diagnostics_over_6_weeks,
        }


def _summaries(scope: Scope):
    summaries = backlog_summaries_all()
    if scope.icb_id is not None:
        summaries = summaries.filter(provider__icb_id=scope.icb_id)
    if scope.provider:
        summaries = summaries.filter(provider__ods_code=scope.provider)
    if scope.treatment_function:
        summaries = summaries.filter(treatment_function_id=scope.treatment_function)
    return summaries


def diagnostics_over_6_weeks(scope: Scope, *, day: date | None) -> int:
    """Diagnostic waits past 6 weeks at the scope's hubs on ``day`` (a provider filter naming
    a hub narrows to it; a treatment function does not apply to diagnostics)."""
    if day is None:
        return 0
    rows = DiagnosticSnapshot.objects.filter(scope.q(provider_field="hub"), day=day)
    return rows.aggregate(n=Sum("over_6_weeks"))["n"] or 0


def dashboard_backlog(scope: Scope) -> Backlog:
    totals = _summaries(scope).aggregate(
        as_of=Min("computed_at"),
        services=Count("id"),
        **{name: Sum(name) for name in SUMMARY_FIELDS},
    )
    count = {name: totals[name] or 0 for name in SUMMARY_FIELDS}
    return Backlog(
        open=count["open_referrals"],
        bands={label: count[field] for label, field in rules.BAND_FIELDS.items()},
        breached=count["breached"],
        unreviewed=count["unreviewed"],
        advice_pending=advice_pending_count(
            provider_ids=scope.providers().values("id"),
            treatment_function=scope.treatment_function,
        ),
        diagnostics_over_6_weeks=diagnostics_over_6_weeks(scope, day=latest_snapshot_day()),
        waits_52_plus=count["waits_52_plus"],
        as_of=totals["as_of"],
        services=totals["services"] or 0,
    )


def snapshot_totals(scope: Scope, *, day: date) -> dict[str, int] | None:
    """The scope's totals in the snapshot of ``day`` (None when there was none that day)."""
    rows = ServiceSnapshot.objects.filter(
        scope.q(function_field="treatment_function"), day=day
    ).aggregate(
        open=Sum("open_referrals"),
        breached=Sum("breached"),
        unreviewed=Sum("unreviewed"),
        advice_pending=Sum("advice_pending"),
        waits_52_plus=Sum("band_52_78") + Sum("band_78_104") + Sum("band_104_plus"),
    )
    if rows["open"] is None:
        return None
    totals = {name: value or 0 for name, value in rows.items()}
    totals["diagnostics_over_6_weeks"] = diagnostics_over_6_weeks(scope, day=day)
    return totals


HEADLINE_FIGURES = (
    ("open", "Open referrals"),
    ("waits_52_plus", "Waiting 52 weeks or more"),
    ("breached", "Past their target date"),
    ("unreviewed", "Not yet reviewed"),
    ("advice_pending", "Advice requests awaiting a reply"),
    ("diagnostics_over_6_weeks", "Diagnostic waits over 6 weeks"),
)


@dataclass(frozen=True)
class Headline:
    key: str
    label: str
    value: int
    last_week: int | None
    last_month: int | None

    @property
    def change_last_week(self) -> int | None:
        return rules.change(self.value, self.last_week)

    @property
    def change_last_month(self) -> int | None:
        return rules.change(self.value, self.last_month)


def dashboard_headlines(scope: Scope, backlog: Backlog, *, today: date) -> list[Headline]:
    """Each headline figure now, with the change since last week and last month (from the
    snapshots on or before those days; none where there is no snapshot to compare with)."""
    now = {
        "open": backlog.open,
        "waits_52_plus": backlog.waits_52_plus,
        "breached": backlog.breached,
        "unreviewed": backlog.unreviewed,
        "advice_pending": backlog.advice_pending,
        "diagnostics_over_6_weeks": backlog.diagnostics_over_6_weeks,
    }
    then = {}
    for name, days in COMPARED_DAYS.items():
        target = today - timedelta(days=days)
        day = latest_snapshot_day(on_or_before=target)
        near = day is not None and day >= target - timedelta(days=COMPARE_TOLERANCE_DAYS)
        then[name] = snapshot_totals(scope, day=day) if near else None
    return [
        Headline(
            key=key,
            label=label,
            value=now[key],
            last_week=then["last_week"][key] if then["last_week"] else None,
            last_month=then["last_month"][key] if then["last_month"] else None,
        )
        for key, label in HEADLINE_FIGURES
    ]


def backlog_by_provider(scope: Scope) -> list[dict]:
    """Open, 52+ week and breached referrals by provider, largest first."""
    rows = (
        _summaries(scope)
        .order_by()
        .values("provider__ods_code", "provider__name")
        .annotate(
            open=Sum("open_referrals"), waits_52_plus=Sum("waits_52_plus"), breached=Sum("breached")
        )
        .order_by("-open", "provider__ods_code")
    )
    return [
        {
            "provider": r["provider__ods_code"],
            "provider_name": r["provider__name"],
            "open": r["open"],
            "waits_52_plus": r["waits_52_plus"],
            "breached": r["breached"],
        }
        for r in rows
    ]


def backlog_by_treatment_function(scope: Scope) -> list[dict]:
    """Open, 52+ week and breached referrals by treatment function, largest first."""
    names = treatment_function_names()
    rows = (
        _summaries(scope)
        .order_by()
        .values("treatment_function_id")
        .annotate(
            open=Sum("open_referrals"), waits_52_plus=Sum("waits_52_plus"), breached=Sum("breached")
        )
        .order_by("-open", "treatment_function_id")
    )
    return [
        {
            "treatment_function": r["treatment_function_id"],
            "treatment_function_name": names.get(r["treatment_function_id"], ""),
            "open": r["open"],
            "waits_52_plus": r["waits_52_plus"],
            "breached": r["breached"],
        }
        for r in rows
    ]


def weeks_waited_distribution(scope: Scope) -> list[dict]:
    """The open referrals by completed weeks waited (0 to 104+) in the latest snapshot."""
    day = latest_snapshot_day()
    histogram = [0] * (rules.HISTOGRAM_WEEKS + 1)
    if day is not None:
        rows = ServiceSnapshot.objects.filter(
            scope.q(function_field="treatment_function"), day=day
        ).values_list("weeks_waited", flat=True)
        for weeks in rows:
            for index, count in enumerate(weeks or []):
                histogram[min(index, rules.HISTOGRAM_WEEKS)] += count
    return [
        {
            "weeks_waited": f"{index}+" if index == rules.HISTOGRAM_WEEKS else str(index),
            "band": rules.band_of(index),
            "referrals": count,
        }
        for index, count in enumerate(histogram)
    ]
