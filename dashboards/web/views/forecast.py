"""The forecast (docs/product.md §6): the waiting list, and the waits past 18 and 52 weeks,
week by week at current demand and capacity, with a what-if for extra capacity."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from dashboards import selectors
from dashboards.filters import ForecastFilterForm
from dashboards.web.charts import chart, day_label
from dashboards.web.tables import Column, Table, csv_of, wants_csv
from dashboards.web.views.shared import csv_query, page_scope

FORECAST_COLUMNS = [
    Column("week_start", "Week of"),
    Column("queue_size", "Waiting list", numeric=True),
    Column("over_18_weeks", "18+ weeks", numeric=True),
    Column("over_52_weeks", "52+ weeks", numeric=True),
]


def forecast_table(forecast, *, baseline=None) -> Table:
    columns = list(FORECAST_COLUMNS)
    rows = [
        {
            "week_start": r.week_start,
            "queue_size": round(r.queue_size),
            "over_18_weeks": round(r.over_18_weeks),
            "over_52_weeks": round(r.over_52_weeks),
        }
        for r in forecast.rows
    ]
    if baseline is not None:
        columns.insert(2, Column("baseline", "Waiting list without extra capacity", numeric=True))
        for row, base in zip(rows, baseline.rows, strict=True):
            row["baseline"] = round(base.queue_size)
    return Table(
        "forecast",
        f"Forecast for the next {forecast.weeks} weeks",
        columns,
        rows,
        empty="No snapshot yet: the forecast starts from the latest daily snapshot.",
    )


def forecast_chart(forecast, table: Table, *, baseline=None) -> dict:
    datasets = [
        ("Waiting list", [r["queue_size"] for r in table.rows]),
        ("18+ weeks", [r["over_18_weeks"] for r in table.rows]),
        ("52+ weeks", [r["over_52_weeks"] for r in table.rows]),
        ("Target waiting list", [round(forecast.target_queue_size)] * len(table.rows)),
    ]
    if baseline is not None:
        datasets.insert(1, ("Without extra capacity", [r["baseline"] for r in table.rows]))
    return chart(
        "forecast",
        kind="line",
        labels=[day_label(r["week_start"]) for r in table.rows],
        datasets=datasets,
        y_title="Referrals",
    )


def forecast_for(scope, form, invalid: bool):
    data = form.cleaned_data if form.is_bound and not invalid else {}
    weeks = data.get("weeks") or settings.DASHBOARD_FORECAST_WEEKS
    extra = float(data.get("extra_capacity") or 0)
    forecast = selectors.dashboard_forecast(scope, weeks=weeks, extra_capacity=extra)
    baseline = selectors.dashboard_forecast(scope, weeks=weeks, extra_capacity=0) if extra else None
    return forecast, baseline


@login_required
def forecast(request):
    scope, form = page_scope(request, ForecastFilterForm)
    invalid = form.is_bound and not form.is_valid()
    result, baseline = forecast_for(scope, form, invalid)
    table = forecast_table(result, baseline=baseline)
    if wants_csv(request) and not invalid:
        return csv_of(request, [table])
    context = {
        "filter_form": form,
        "forecast": result,
        "section": {
            "table": table,
            "chart": forecast_chart(result, table, baseline=baseline),
            "chart_element_id": "chart-data-forecast",
            "csv": csv_query(request, "forecast"),
        },
    }
    return render(request, "dashboards/forecast.html", context, status=400 if invalid else 200)
