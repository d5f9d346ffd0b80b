"""Directory API: patients a user may see, audited on every read."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView, RetrieveAPIView

from audit.models import AuditAction
from audit.services import audit_records_shown
from audit.web import api_context
from core.api import CursorPagination
from directory import selectors


class PatientOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uuid")
    nhs_number = serializers.CharField()
    family_name = serializers.CharField()
    given_name = serializers.CharField()
    date_of_birth = serializers.DateField()
    registered_practice = serializers.CharField(source="registered_practice.ods_code")


class PatientPagination(CursorPagination):
    ordering = ("family_name", "given_name", "id")


@extend_schema(
    summary="Patients the caller may see",
    parameters=[
        OpenApiParameter(
            "nhs_number", str, description="Exact NHS number (spaces or dashes allowed)"
        ),
        OpenApiParameter("family_name", str, description="Family name starts with"),
    ],
)
class PatientListApi(ListAPIView):
    serializer_class = PatientOutputSerializer
    pagination_class = PatientPagination
    filter_backends: list = []

    def get_queryset(self):
        params = self.request.query_params
        return selectors.patients_search(
            user=self.request.user,
            nhs_number=params.get("nhs_number", ""),
            family_name=params.get("family_name", ""),
        )

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        audit_records_shown(
            actor=self.request.user,
            context=api_context(self.request),
            records=[{"patient_id": p.pk, "uuid": p.uuid} for p in page],
            action=AuditAction.LIST,
            object_type="patient",
        )
        return page


@extend_schema(summary="One patient's record (404 unless the caller has a legitimate relationship)")
class PatientDetailApi(RetrieveAPIView):
    serializer_class = PatientOutputSerializer

    def get_object(self):
        patient = selectors.patient_get_for_user(
            user=self.request.user, patient_uuid=self.kwargs["patient_id"]
        )
        audit_records_shown(
            actor=self.request.user,
            context=api_context(self.request),
            records=[{"patient_id": patient.pk, "uuid": patient.uuid}],
            action=AuditAction.VIEW,
            object_type="patient",
        )
        return patient
