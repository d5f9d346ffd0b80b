"""``/api/v1/dashboard/`` (docs/product.md §7): the ICB's managers and administrators only;
everyone else 403. Every table is also a CSV download with ``?format=csv``. Aggregates only,
so nothing here reads a patient or needs auditing as a read of patient data."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from core.api import CsvRenderer, CursorPagination
from core.csvexport import csv_response
from dashboards import selectors
from dashboards.api import serializers as s
from dashboards.filters import DashboardFilterForm, ForecastFilterForm, ServicesFilterForm
from dashboards.models import ServiceSnapshot, SnapshotDay
from dashboards.permissions import can_view_dashboards
from dashboards.selectors import Scope

FORMAT = OpenApiParameter(
    "format", str, enum=["json", "csv"], description="`csv`: the whole table as a download."
)
FILTERS = [
    OpenApiParameter("provider", str, description="Provider ODS code, e.g. R1H."),
    OpenApiParameter("treatment_function", str, description="Treatment function code, e.g. 110."),
]


def csv_value(value):
    """The JSON's spelling: true/false, ISO dates, nothing for null."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    return value


class DashboardApi(GenericAPIView):
    """What every dashboard endpoint shares: the 403 for anyone but managers and
    administrators (before any input is looked at), the filters, the CSV."""

    renderer_classes = [JSONRenderer, CsvRenderer]
    filter_form = DashboardFilterForm
    pagination_class = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not can_view_dashboards(request.user):
            self.permission_denied(
                request, message="The dashboards are for ICB managers and administrators."
            )

    def filters(self) -> dict:
        form = self.filter_form(self.request.query_params)
        if not form.is_valid():
            raise ValidationError(
                {f: [e["message"] for e in errs] for f, errs in form.errors.get_json_data().items()}
            )
        return form.cleaned_data

    def scope(self, data: dict) -> Scope:
        return selectors.dashboard_scope_for(
            self.request.user,
            provider=data.get("provider", ""),
            treatment_function=data.get("treatment_function", ""),
        )

    @property
    def wants_csv(self) -> bool:
        return self.request.accepted_renderer.format == CsvRenderer.format

    def csv(self, name: str, columns, rows):
        today = timezone.localdate().isoformat()
        return csv_response(
            f"dashboard-{name}-{today}.csv",
            list(columns),
            ([csv_value(row.get(column)) for column in columns] for row in rows),
        )


@extend_schema(
    summary="The backlog's headline figures",
    description=(
        "Open referrals, weeks-waited bands (completed weeks, half-open: exactly 18 weeks is "
        "in 18-52), breaches, unreviewed referrals, advice requests awaiting a reply and "
        "diagnostic waits over 6 weeks, for the caller's ICB (every ICB for an "
        "administrator). A filter naming a provider outside the ICB matches nothing."
    ),
    parameters=[*FILTERS, FORMAT],
    responses=s.BacklogOutputSerializer,
)
class DashboardBacklogApi(DashboardApi):
    serializer_class = s.BacklogOutputSerializer

    def get(self, request):
        backlog = selectors.dashboard_backlog(self.scope(self.filters()))
        data = {**backlog.as_dict(), "as_of": backlog.as_of}
        if self.wants_csv:
            row = {**{k: v for k, v in data.items() if k != "bands"}, **data["bands"]}
            return self.csv("backlog", list(row), [row])
        return Response(s.BacklogOutputSerializer(data).data)


class ServicePagination(CursorPagination):
    ordering = "id"


@extend_schema(
    summary="Queue measures per service",
    description=(
        "One row per service (provider and treatment function) of the latest snapshot, in the "
        "standard waiting-list model: demand and capacity a week (means over the last 12 "
        "weeks of referrals received and clocks stopped), load, queue size, target queue "
        "size (demand × target wait / 4) and the relief capacity that brings the queue to "
        "its target by `relief_by` (26 weeks ahead by default). `getting_worse`: the mean "
        "wait or the breaches rose several weeks running."
    ),
    parameters=[
        *FILTERS,
        OpenApiParameter(
            "relief_by",
            OpenApiTypes.DATE,
            description="The date (after today) by which relief capacity brings the queue to "
            "its target.",
        ),
        FORMAT,
    ],
    responses=s.ServiceRowOutputSerializer(many=True),
)
class DashboardServicesApi(DashboardApi):
    serializer_class = s.ServiceRowOutputSerializer
    filter_form = ServicesFilterForm
    pagination_class = ServicePagination
    # For the schema's pagination parameters; the rows come from the selectors.
    queryset = ServiceSnapshot.objects.none()

    def get(self, request):
        data = self.filters()
        scope = self.scope(data)
        if self.wants_csv:
            rows = selectors.dashboard_services(scope, relief_by=data["relief_by"])
            return self.csv("services", selectors.SERVICE_COLUMNS, rows)
        page = self.paginate_queryset(selectors.service_snapshots(scope))
        rows = selectors.service_rows(list(page), relief_by=data["relief_by"])
        return self.get_paginated_response(s.ServiceRowOutputSerializer(rows, many=True).data)


FORECAST_COLUMNS = ("week_start", "queue_size", "over_18_weeks", "over_52_weeks")


@extend_schema(
    summary="Forecast of the waiting list",
    description=(
        "The waiting list, and the waits of 18 and 52 weeks or more, week by week for `weeks` "
        "weeks (26 by default, at most 104) at current demand and capacity, plus "
        "`extra_capacity` removals a week (the what-if, shared between the services in "
        "proportion to their demand). docs/dashboards.md describes the model."
    ),
    parameters=[
        *FILTERS,
        OpenApiParameter("weeks", int, description="Weeks ahead, 1 to 104."),
        OpenApiParameter("extra_capacity", float, description="Extra removals a week, ≥ 0."),
        FORMAT,
    ],
    responses=s.ForecastOutputSerializer,
)
class DashboardForecastApi(DashboardApi):
    serializer_class = s.ForecastOutputSerializer
    filter_form = ForecastFilterForm

    def get(self, request):
        data = self.filters()
        forecast = selectors.dashboard_forecast(
            self.scope(data), weeks=data["weeks"], extra_capacity=float(data["extra_capacity"])
        )
        rows = [
            {
                "week_start": r.week_start,
                "queue_size": round(r.queue_size),
                "over_18_weeks": round(r.over_18_weeks),
                "over_52_weeks": round(r.over_52_weeks),
            }
            for r in forecast.rows
        ]
        if self.wants_csv:
            return self.csv("forecast", FORECAST_COLUMNS, rows)
        body = {
            "start": forecast.start,
            "weeks": forecast.weeks,
            "extra_capacity": forecast.extra_capacity,
            "demand_per_week": round(forecast.demand_per_week, 1),
            "capacity_per_week": round(forecast.capacity_per_week, 1),
            "queue_size": forecast.queue_size,
            "target_queue_size": round(forecast.target_queue_size, 1),
            "reaches_target": forecast.reaches_target,
            "no_18_week_waits": forecast.no_18_week_waits,
            "results": rows,
        }
        return Response(s.ForecastOutputSerializer(body).data)


class TrendPagination(CursorPagination):
    ordering = "-day"


@extend_schema(
    summary="The daily snapshots",
    description=(
        "One row a day, latest first: the scope's backlog, bands, breaches, review "
        "throughput, advice pending, demand and capacity, diagnostic waits, budget spend and "
        "contract obligations, as the day's snapshot recorded them."
    ),
    parameters=[*FILTERS, FORMAT],
    responses=s.TrendRowOutputSerializer(many=True),
)
class DashboardTrendsApi(DashboardApi):
    serializer_class = s.TrendRowOutputSerializer
    pagination_class = TrendPagination
    queryset = SnapshotDay.objects.none()

    def get(self, request):
        scope = self.scope(self.filters())
        if self.wants_csv:
            rows = s.TrendRowOutputSerializer(selectors.dashboard_trends(scope), many=True).data
            return self.csv("trends", selectors.TREND_COLUMNS, rows)
        page = self.paginate_queryset(selectors.snapshot_days())
        rows = selectors.trend_rows(scope, [day.day for day in page])
        rows.sort(key=lambda row: row["day"], reverse=True)
        return self.get_paginated_response(s.TrendRowOutputSerializer(rows, many=True).data)
