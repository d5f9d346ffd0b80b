"""Queue measures per service (docs/product.md §6): the standard waiting-list model, with the
services getting worse flagged, and the relief capacity to a chosen date."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from dashboards import selectors
from dashboards.filters import ServicesFilterForm
from dashboards.web.tables import Column, Table, csv_of, wants_csv
from dashboards.web.views.shared import csv_query, drill_down, page_scope

SERVICE_TABLE_COLUMNS = [
    Column("provider_name", "Provider"),
    Column("treatment_function_name", "Treatment function"),
    Column("demand_per_week", "Demand a week", numeric=True),
    Column("capacity_per_week", "Capacity a week", numeric=True),
    Column("load", "Load", numeric=True),
    Column("queue_size", "Queue", numeric=True),
    Column("target_queue_size", "Target queue", numeric=True),
    Column("relief_capacity", "Relief capacity a week", numeric=True),
    Column("mean_weeks_waited", "Mean weeks waited", numeric=True),
    Column("getting_worse", "Getting worse"),
]
# The CSV carries the codes too, and every figure the API row has.
SERVICE_CSV_COLUMNS = [
    Column("provider", "Provider ODS code"),
    Column("treatment_function", "Treatment function code"),
    *SERVICE_TABLE_COLUMNS,
    Column("breached", "Breached", numeric=True),
]


def services_table(user, scope, *, relief_by, columns=SERVICE_TABLE_COLUMNS) -> Table:
    rows = selectors.dashboard_services(scope, relief_by=relief_by)
    return Table(
        "services",
        "Queue measures by service",
        list(columns),
        rows,
        link=lambda r: drill_down(
            user, provider=r["provider"], treatment_function=r["treatment_function"]
        ),
        empty="No snapshot yet: the figures appear after the first daily snapshot.",
    )


@login_required
def services(request):
    scope, form = page_scope(request, ServicesFilterForm)
    invalid = form.is_bound and not form.is_valid()
    today = timezone.localdate()
    default_by = today + timedelta(weeks=settings.DASHBOARD_RELIEF_WEEKS)
    relief_by = form.cleaned_data["relief_by"] if form.is_bound and not invalid else default_by
    if wants_csv(request) and not invalid:
        return csv_of(
            request,
            [services_table(request.user, scope, relief_by=relief_by, columns=SERVICE_CSV_COLUMNS)],
        )
    table = services_table(request.user, scope, relief_by=relief_by)
    worse = [row for row in table.rows if row["getting_worse"]]
    context = {
        "filter_form": form,
        "table": table,
        "csv": csv_query(request, "services"),
        "relief_by": relief_by,
        "worse": worse,
        "target_wait_weeks": settings.DASHBOARD_TARGET_WAIT_WEEKS,
        "demand_weeks": settings.DASHBOARD_DEMAND_WEEKS,
        "weeks_running": settings.DASHBOARD_WORSE_WEEKS_RUNNING,
        "snapshot_day": selectors.latest_snapshot_day(),
    }
    return render(request, "dashboards/services.html", context, status=400 if invalid else 200)
