"""``POST discharges/`` and ``POST attendances/``: the provider's staff or systems record the
events that open obligations (docs/product.md §7)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from audit.models import AuditAction
from audit.web import api_context
from contracts import permissions
from contracts.api import serializers as s
from contracts.api.views.shared import obligation_rows
from contracts.services.events import attendance_record, discharge_record
from core.api import require, validated

RETRY = "The same event sent again: the record already held, nothing recorded twice."


def _answer(request, record, created: bool, serializer_class) -> Response:
    record.obligation_rows = obligation_rows(
        request,
        record.obligations.select_related("patient", "provider").order_by("id"),
        action=AuditAction.VIEW,
    )
    return Response(
        serializer_class(record).data, status=status.HTTP_201_CREATED if created else 200
    )


@extend_schema(
    tags=["contracts"],
    summary="Record a discharge (the provider's clinicians)",
    description=(
        "A discharge from inpatient, day case or A&E care at the caller's organisation. It "
        "opens `discharge_summary`, `discharge_medication` when medication was supplied (met "
        "with at least 7 days, else open and due at once) and `fit_note` when one was due."
    ),
    request=s.ContractDischargeInputSerializer,
    responses={
        201: s.ContractDischargeOutputSerializer,
        200: OpenApiResponse(s.ContractDischargeOutputSerializer, RETRY),
    },
)
class DischargeCreateApi(APIView):
    def post(self, request):
        require(permissions.can_record_events(request.user))
        data = validated(request, s.ContractDischargeInputSerializer)
        discharge, created = discharge_record(
            actor=request.user,
            context=api_context(request),
            patient=data["nhs_number"],
            kind=data["kind"],
            discharged_at=data["discharged_at"],
            medication_days=data["medication_days"],
            fit_note=data["fit_note"],
        )
        return _answer(request, discharge, created, s.ContractDischargeOutputSerializer)


@extend_schema(
    tags=["contracts"],
    summary="Record an outpatient attendance (the provider's clinicians)",
    description=(
        "An attendance at the caller's organisation. `gp_action_needed` opens `clinic_letter`; "
        "a fit note that was due opens `fit_note`."
    ),
    request=s.ContractAttendanceInputSerializer,
    responses={
        201: s.ContractAttendanceOutputSerializer,
        200: OpenApiResponse(s.ContractAttendanceOutputSerializer, RETRY),
    },
)
class AttendanceCreateApi(APIView):
    def post(self, request):
        require(permissions.can_record_events(request.user))
        data = validated(request, s.ContractAttendanceInputSerializer)
        attendance, created = attendance_record(
            actor=request.user,
            context=api_context(request),
            patient=data["nhs_number"],
            attended_at=data["attended_at"],
            gp_action_needed=data["gp_action_needed"],
            fit_note=data["fit_note"],
        )
        return _answer(request, attendance, created, s.ContractAttendanceOutputSerializer)
