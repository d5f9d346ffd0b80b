"""``breach-reports/``: GPs report a duty broken by asking them to act and get the letter to the
trust and the ICB drafted; the provider addressed reads it (docs/product.md §5, §7)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from audit.models import AuditAction
from audit.web import api_context
from contracts import permissions, presenters, selectors
from contracts.api import serializers as s
from contracts.api.views.shared import NewestFirst
from contracts.services.reports import breach_report_create, breach_report_letter_update
from core.api import require, validated
from directory.api.shared import audit_read


def _row(request, report, *, action: str) -> dict:
    audit_read(request, [report], action=action, object_type="breach_report")
    return presenters.breach_report_row(report)


@extend_schema(tags=["contracts"])
class BreachReportListCreateApi(ListAPIView):
    serializer_class = s.BreachReportOutputSerializer
    pagination_class = NewestFirst
    filter_backends: list = []

    def get_queryset(self):
        return selectors.breach_reports_visible_to(self.request.user)

    @extend_schema(
        summary="Breach reports the caller may see, newest first",
        description="The reporting practice's GPs and the provider addressed; managers see "
        "counts only (`compliance/`), so their list is empty.",
    )
    def get(self, request, *args, **kwargs):
        page = list(self.paginate_queryset(self.get_queryset()))
        audit_read(request, page, action=AuditAction.LIST, object_type="breach_report")
        return self.get_paginated_response([presenters.breach_report_row(r) for r in page])

    @extend_schema(
        summary="Report a breach (GPs, about a patient registered at their practice)",
        description="Answers 201 with the drafted `letter` naming the provider, the ICB, the "
        "date, the patient reference, the duty and its contract clause; the same report sent "
        "again answers 200 with the first; another account of the same breach is 409.",
        request=s.BreachReportInputSerializer,
        responses={
            201: s.BreachReportOutputSerializer,
            200: OpenApiResponse(s.BreachReportOutputSerializer, "The same report, sent again."),
        },
    )
    def post(self, request):
        require(permissions.can_report_breach(request.user))
        data = validated(request, s.BreachReportInputSerializer)
        report, created = breach_report_create(
            actor=request.user,
            context=api_context(request),
            duty=data["duty"],
            provider=data["provider"],
            patient=data["nhs_number"],
            occurred_on=data["occurred_on"],
            description=data["description"],
        )
        report = selectors.breach_report_get_for_user(user=request.user, report_uuid=report.uuid)
        return Response(
            _row(request, report, action=AuditAction.VIEW),
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


@extend_schema(tags=["contracts"])
class BreachReportDetailApi(APIView):
    @extend_schema(
        summary="One breach report with its letter (404 without a relationship)",
        responses=s.BreachReportOutputSerializer,
    )
    def get(self, request, report_id):
        report = selectors.breach_report_get_for_user(user=request.user, report_uuid=report_id)
        return Response(_row(request, report, action=AuditAction.VIEW))

    @extend_schema(
        summary="Edit the letter (the reporting practice's GPs; 403 for the provider)",
        request=s.BreachReportLetterInputSerializer,
        responses=s.BreachReportOutputSerializer,
    )
    def patch(self, request, report_id):
        report = selectors.breach_report_for_edit(user=request.user, report_uuid=report_id)
        data = validated(request, s.BreachReportLetterInputSerializer)
        report = breach_report_letter_update(
            report=report,
            actor=request.user,
            context=api_context(request),
            letter=data["letter"],
        )
        return Response(_row(request, report, action=AuditAction.VIEW))
