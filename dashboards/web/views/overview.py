"""The dashboard (docs/product.md §6): headline figures with the change since last week and
last month, and the charts (backlog over time, weeks waited, by provider and treatment
function, breaches, diagnostic waits, budget burn, compliance), each with its table, its
drill-down and its CSV."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from dashboards import selectors
from dashboards.filters import DashboardFilterForm
from dashboards.web.charts import chart, day_label
from dashboards.web.tables import Column, Table, change_text, csv_of, wants_csv
from dashboards.web.views.shared import csv_query, drill_down, filter_query, page_scope

TREND_DAYS = 365
HEADLINE_LINKS = {"breached": {"breached": "true"}, "unreviewed": {"reviewed": "false"}}


def weekly(rows: list[dict]) -> list[dict]:
    """Every seventh day back from the latest: the trend tables' rows."""
    return list(reversed(rows[::-1][::7]))


def _headline_table(user, scope, headlines) -> Table:
    base = filter_query(scope)
    rows = [
        {
            "figure": h.label,
            "now": h.value,
            "change_last_week": change_text(h.change_last_week),
            "change_last_month": change_text(h.change_last_month),
            "key": h.key,
        }
        for h in headlines
    ]
    return Table(
        "headline",
        "Headline figures",
        [
            Column("figure", "Figure"),
            Column("now", "Now", numeric=True),
            Column("change_last_week", "Since last week", numeric=True),
            Column("change_last_month", "Since last month", numeric=True),
        ],
        rows,
        link=lambda r: (
            drill_down(user, **base, **HEADLINE_LINKS[r["key"]])
            if r["key"] in HEADLINE_LINKS
            else None
        ),
    )


def overview_tables(user, scope, *, today) -> tuple[list[Table], dict]:
    backlog = selectors.dashboard_backlog(scope)
    headlines = selectors.dashboard_headlines(scope, backlog, today=today)
    trends = selectors.dashboard_trends(scope, since=today - timedelta(days=TREND_DAYS))
    by_week = weekly(trends)
    providers = selectors.backlog_by_provider(scope)
    functions = selectors.backlog_by_treatment_function(scope)
    base = filter_query(scope)
    tables = [
        _headline_table(user, scope, headlines),
        Table(
            "backlog-trend",
            "Open referrals over time (weekly)",
            [
                Column("day", "Day"),
                Column("open", "Open referrals", numeric=True),
                Column("received_12_weeks", "Received in 12 weeks", numeric=True),
                Column("stopped_12_weeks", "Clocks stopped in 12 weeks", numeric=True),
            ],
            by_week,
        ),
        Table(
            "bands",
            "Open referrals by weeks waited (completed weeks)",
            [Column("band", "Weeks waited"), Column("referrals", "Referrals", numeric=True)],
            [{"band": f"{label} weeks", "referrals": n} for label, n in backlog.bands.items()],
        ),
        Table(
            "providers",
            "Open referrals by provider",
            [
                Column("provider_name", "Provider"),
                Column("provider", "ODS code"),
                Column("open", "Open", numeric=True),
                Column("waits_52_plus", "52+ weeks", numeric=True),
                Column("breached", "Breached", numeric=True),
            ],
            providers,
            link=lambda r: drill_down(user, **{**base, "provider": r["provider"]}),
        ),
        Table(
            "treatment-functions",
            "Open referrals by treatment function",
            [
                Column("treatment_function_name", "Treatment function"),
                Column("treatment_function", "Code"),
                Column("open", "Open", numeric=True),
                Column("waits_52_plus", "52+ weeks", numeric=True),
                Column("breached", "Breached", numeric=True),
            ],
            functions,
            link=lambda r: drill_down(
                user, **{**base, "treatment_function": r["treatment_function"]}
            ),
        ),
        Table(
            "breaches-trend",
            "Breaches, long waits and reviews over time (weekly)",
            [
                Column("day", "Day"),
                Column("breached", "Breached", numeric=True),
                Column("waits_52_plus", "52+ weeks", numeric=True),
                Column("unreviewed", "Not yet reviewed", numeric=True),
                Column("reviews_7_days", "Reviews in 7 days", numeric=True),
            ],
            [{**r, "waits_52_plus": _long_waits(r)} for r in by_week],
        ),
        *other_tables(scope),
    ]
    return tables, {"backlog": backlog, "trends": trends, "headlines": headlines}


def other_tables(scope) -> list[Table]:
    diagnostics = selectors.dashboard_diagnostics(scope)
    for row in diagnostics:
        row["percent_over"] = round(100 * float(row["share_over_6_weeks"]), 1)
    budgets = selectors.dashboard_budgets(scope)
    for row in budgets:
        row["name"] = row["therapeutic_area"] or "All prescribing"
        row["percent_spent"] = round(100 * row["share_spent"], 1)
    compliance = selectors.dashboard_compliance(scope)
    for row in compliance:
        rate = row["on_time_rate"]
        row["percent_on_time"] = None if rate is None else round(100 * rate, 1)
    return [
        Table(
            "diagnostics",
            "Diagnostic waits against the 6-week standard",
            [
                Column("hub_name", "Hub"),
                Column("test_type_name", "Test"),
                Column("waiting", "Waiting", numeric=True),
                Column("over_6_weeks", "Over 6 weeks", numeric=True),
                Column("percent_over", "% over 6 weeks", numeric=True),
            ],
            diagnostics,
            empty="No diagnostic waits recorded in the latest snapshot.",
        ),
        Table(
            "budgets",
            "Joint prescribing budgets: spend against plan",
            [
                Column("name", "Budget"),
                Column("financial_year", "Year"),
                Column("amount", "Amount", numeric=True),
                Column("spent", "Spent", numeric=True),
                Column("committed", "Committed", numeric=True),
                Column("remaining", "Remaining", numeric=True),
                Column("forecast_outturn", "Forecast outturn", numeric=True),
                Column("percent_spent", "% spent", numeric=True),
            ],
            budgets,
            empty="No prescribing budgets in the latest snapshot.",
        ),
        Table(
            "compliance",
            "Contract compliance by provider and duty",
            [
                Column("provider_name", "Provider"),
                Column("duty", "Duty"),
                Column("due", "Fallen due", numeric=True),
                Column("met", "On time", numeric=True),
                Column("met_late", "Late", numeric=True),
                Column("overdue", "Overdue", numeric=True),
                Column("percent_on_time", "% on time", numeric=True),
                Column("breach_reports", "Breach reports", numeric=True),
            ],
            compliance,
            empty="No contract obligations in the latest snapshot.",
        ),
    ]


def _long_waits(row: dict) -> int:
    """Referrals waiting 52 weeks or more: the trend rows count them in three bands."""
    return row["band_52_78"] + row["band_78_104"] + row["band_104_plus"]


def _compliance_by_provider(rows: list[dict]) -> list[dict]:
    """The compliance table has a row per provider and duty; its chart a bar per provider."""
    totals: dict[str, dict] = {}
    for row in rows:
        total = totals.setdefault(row["provider_name"], {"met": 0, "met_late": 0, "overdue": 0})
        for key in total:
            total[key] += row[key]
    return [{"provider_name": name, **total} for name, total in totals.items()]


@dataclass(frozen=True)
class ChartSpec:
    """A chart of the figures in its table. A label or a series' figure is a row's key or a
    function of the row. The rows are the table's, and a bar opens the table's drill-down, unless
    ``rows`` names other rows."""

    kind: str  # "line", "bar" or "hbar"
    label: str | Callable[[dict], object]
    series: dict[str, str | Callable[[dict], object]]  # each dataset's title: its figures
    rows: str = ""
    x_title: str = ""
    y_title: str = ""
    stacked: bool = False


def _day(row: dict) -> str:
    return day_label(row["day"])


OVERVIEW_CHARTS = {
    "backlog-trend": ChartSpec(
        "line", _day, {"Open referrals": "open"}, rows="daily", y_title="Open referrals"
    ),
    "bands": ChartSpec(
        "bar",
        "band",
        {"Open referrals": "referrals"},
        x_title="Completed weeks waited",
        y_title="Referrals",
    ),
    "providers": ChartSpec("hbar", "provider_name", {"Open": "open", "52+ weeks": "waits_52_plus"}),
    "treatment-functions": ChartSpec(
        "hbar", "treatment_function_name", {"Open": "open", "52+ weeks": "waits_52_plus"}
    ),
    "breaches-trend": ChartSpec(
        "line",
        _day,
        {"Breached": "breached", "52+ weeks": _long_waits},
        rows="daily",
        y_title="Referrals",
    ),
    "diagnostics": ChartSpec(
        "hbar",
        lambda r: f"{r['hub_name']}: {r['test_type_name'] or r['test_type']}",
        {"Waiting": "waiting", "Over 6 weeks": "over_6_weeks"},
    ),
    "budgets": ChartSpec(
        "hbar",
        lambda r: f"{r['name']} {r['financial_year']}",
        {"Spent": "spent", "Committed": "committed", "Remaining": lambda r: max(r["remaining"], 0)},
        stacked=True,
        x_title="Pounds",
    ),
    "compliance": ChartSpec(
        "hbar",
        "provider_name",
        {"On time": "met", "Late": "met_late", "Overdue": "overdue"},
        rows="by provider",
        stacked=True,
        x_title="Obligations fallen due",
    ),
}


def _cell(row: dict, how):
    return how(row) if callable(how) else row[how]


def overview_charts(tables: dict[str, Table], data: dict) -> list[dict]:
    other_rows = {
        "daily": data["trends"],  # the trend tables show every seventh day
        "by provider": _compliance_by_provider(tables["compliance"].rows),
    }
    charts = []
    for name, spec in OVERVIEW_CHARTS.items():
        rows = other_rows[spec.rows] if spec.rows else tables[name].rows
        link = None if spec.rows else tables[name].link
        charts.append(
            chart(
                name,
                kind=spec.kind,
                labels=[_cell(r, spec.label) for r in rows],
                datasets=[(t, [_cell(r, how) for r in rows]) for t, how in spec.series.items()],
                links=[link(r) for r in rows] if link else (),
                x_title=spec.x_title,
                y_title=spec.y_title,
                stacked=spec.stacked,
            )
        )
    return charts


@login_required
def overview(request):
    scope, form = page_scope(request, DashboardFilterForm)
    invalid = form.is_bound and not form.is_valid()
    today = timezone.localdate()
    tables, data = overview_tables(request.user, scope, today=today)
    if wants_csv(request) and not invalid:
        return csv_of(request, tables)
    named = {t.name: t for t in tables}
    charts = {c["id"]: c for c in overview_charts(named, data)}
    sections = [
        {
            "table": t,
            "chart": charts.get(t.name),
            "chart_element_id": f"chart-data-{t.name}",
            "csv": csv_query(request, t.name),
        }
        for t in tables
    ]
    headlines = [
        {
            "key": h.key,
            "label": h.label,
            "value": h.value,
            "value_text": f"{h.value:,}",
            "last_week": change_text(h.change_last_week),
            "last_month": change_text(h.change_last_month),
        }
        for h in data["headlines"]
    ]
    context = {
        "filter_form": form,
        "headlines": headlines,
        "backlog": data["backlog"],
        "sections": sections,
        "scope": scope,
        "trend_days": len(data["trends"]),
    }
    return render(request, "dashboards/overview.html", context, status=400 if invalid else 200)
