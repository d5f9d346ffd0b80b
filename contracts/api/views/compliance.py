"""``GET compliance/`` and ``GET compliance/weekly/``: on-time rate, overdue now and breaches
reported per provider and duty, and the trend by week; ``?format=csv`` downloads the same rows
(docs/product.md §5, §7). Aggregates only: no patient is named, so nothing is audited."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from contracts import selectors
from contracts.api import serializers as s
from contracts.filters import ComplianceFilterForm
from contracts.models import Duty
from contracts.selectors.compliance import COLUMNS
from core.api import CsvRenderer
from core.csvexport import csv_response

FILTERS = [
    OpenApiParameter("provider", str, description="ODS code of one provider."),
    OpenApiParameter("duty", str, enum=Duty.values, description="One duty."),
    OpenApiParameter("format", str, enum=["json", "csv"], description="`csv`: a download."),
]


def _filters(request) -> dict:
    form = ComplianceFilterForm(request.query_params)
    if not form.is_valid():
        raise ValidationError(
            {
                field: [e["message"] for e in errors]
                for field, errors in form.errors.get_json_data().items()
            }
        )
    return form.cleaned_data


def _csv_value(value):
    return "" if value is None else value


class _ComplianceApi(APIView):
    renderer_classes = [JSONRenderer, CsvRenderer]
    columns: tuple[str, ...] = COLUMNS
    filename = "compliance"

    def rows(self, scope: dict, data: dict) -> list[dict]:
        raise NotImplementedError

    def get(self, request):
        allowed = selectors.compliance_scope_for(request.user)  # 403 before any input check
        data = _filters(request)
        scope = selectors.narrowed(allowed, provider_ods=data["provider"])
        rows = self.rows(scope, data)
        if request.accepted_renderer.format == CsvRenderer.format:
            return csv_response(
                f"{self.filename}-{timezone.localdate().isoformat()}.csv",
                self.columns,
                ([_csv_value(row[c]) for c in self.columns] for row in rows),
            )
        return Response({"results": rows})


@extend_schema(
    tags=["contracts"],
    summary="Compliance per provider and duty",
    description="For ICB managers (their ICB's providers), provider clinicians (their own), "
    "GPs (their ICB's providers) and administrators (all). `on_time_rate` is met / due, "
    "0 to 1, null when nothing has fallen due.",
    parameters=FILTERS,
    responses=s.ComplianceListSerializer,
)
class ComplianceApi(_ComplianceApi):
    def rows(self, scope, data):
        return selectors.compliance_rows(duty=data["duty"] or None, **scope)


@extend_schema(
    tags=["contracts"],
    summary="Compliance per week, provider and duty (the trend)",
    description="Obligations by the week they fell due (Monday, English local time) and "
    "breach reports by the week the breach happened, for the last `weeks` weeks (12 by "
    "default).",
    parameters=[
        *FILTERS,
        OpenApiParameter("weeks", int, description="How many weeks back, 1 to 104."),
    ],
    responses=s.ComplianceWeekListSerializer,
)
class ComplianceWeeklyApi(_ComplianceApi):
    columns = ("week_start", *COLUMNS)
    filename = "compliance-weekly"

    def rows(self, scope, data):
        return selectors.compliance_by_week(duty=data["duty"] or None, weeks=data["weeks"], **scope)
