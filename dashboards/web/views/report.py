"""The printable board report: the dashboard's figures and tables on one page, laid out for
paper (the print stylesheet drops the navigation and keeps each table whole)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from dashboards import selectors
from dashboards.filters import DashboardFilterForm
from dashboards.web.tables import csv_of, wants_csv
from dashboards.web.views.forecast import forecast_table
from dashboards.web.views.overview import overview_tables
from dashboards.web.views.services import services_table
from dashboards.web.views.shared import csv_query, page_scope

REPORT_TABLES = (
    "headline",
    "bands",
    "providers",
    "treatment-functions",
    "diagnostics",
    "budgets",
    "compliance",
)
WORSE_SHOWN = 20


@login_required
def report(request):
    scope, form = page_scope(request, DashboardFilterForm)
    invalid = form.is_bound and not form.is_valid()
    today = timezone.localdate()
    tables, data = overview_tables(request.user, scope, today=today)
    relief_by = today + timedelta(weeks=settings.DASHBOARD_RELIEF_WEEKS)
    services = services_table(request.user, scope, relief_by=relief_by)
    services.name, services.caption = "services-getting-worse", "Services getting worse"
    services.rows = [r for r in services.rows if r["getting_worse"]][:WORSE_SHOWN]
    services.empty = "No service's waits or breaches have risen several weeks running."
    forecast = selectors.dashboard_forecast(
        scope, weeks=settings.DASHBOARD_FORECAST_WEEKS, extra_capacity=0
    )
    outlook = forecast_table(forecast)
    outlook.rows = outlook.rows[3::4]  # every fourth week: a board's view
    outlook.caption = f"Forecast at current demand and capacity (every 4 weeks of {forecast.weeks})"
    chosen = [t for t in tables if t.name in REPORT_TABLES]
    chosen[4:4] = [services, outlook]
    if wants_csv(request) and not invalid:
        return csv_of(request, chosen)
    context = {
        "filter_form": form,
        "scope": scope,
        "backlog": data["backlog"],
        "forecast": forecast,
        "sections": [{"table": t, "csv": csv_query(request, t.name)} for t in chosen],
        "today": today,
        "viewer_icb": request.user.organisation if request.user.is_manager else None,
    }
    return render(request, "dashboards/report.html", context, status=400 if invalid else 200)
