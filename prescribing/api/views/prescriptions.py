"""Electronic prescriptions: list, issue, detail, dispense, cancel and FHIR."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from audit.models import AuditAction
from audit.web import api_context
from core.api import FhirJsonRenderer, require, validated
from directory.api.shared import AuditedListMixin, RecordActionApi, audit_read
from prescribing import permissions, selectors
from prescribing.api import fhir
from prescribing.api import serializers as s
from prescribing.api.views.shared import NewestFirst, PrescribingConflictOutputSerializer
from prescribing.filters import PrescriptionFilterSet
from prescribing.models import Prescription
from prescribing.services import prescriptions as services

OBJECT_TYPE = "prescription"


def _shown(request, prescription_uuid) -> dict:
    prescription = selectors.prescription_get_for_user(
        user=request.user, prescription_uuid=prescription_uuid
    )
    return s.PrescriptionOutputSerializer(prescription).data


@extend_schema(tags=["prescribing"])
class PrescriptionListCreateApi(AuditedListMixin, ListAPIView):
    """Prescriptions the caller issued, and (for GPs) those of their practice's patients."""

    serializer_class = s.PrescriptionOutputSerializer
    pagination_class = NewestFirst
    filterset_class = PrescriptionFilterSet
    audit_object_type = OBJECT_TYPE

    def get_queryset(self):
        return selectors.prescriptions_visible_to(self.request.user)

    @extend_schema(summary="Prescriptions the caller may see, newest first")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Issue an electronic prescription (any prescriber, for a patient they may see)",
        description="A discharge prescription with an item under 7 days and no "
        "short_supply_reason is 400 naming short_supply_reason. Prescribing under a shared "
        "care agreement the GP has not accepted (or that was declined or ended) is 409.",
        request=s.PrescriptionCreateInputSerializer,
        responses={201: s.PrescriptionOutputSerializer, 409: PrescribingConflictOutputSerializer},
    )
    def post(self, request):
        require(
            permissions.can_prescribe(request.user),
            "Only GPs, consultants and community clinicians prescribe.",
        )
        data = validated(request, s.PrescriptionCreateInputSerializer)
        prescription = services.prescription_issue(
            actor=request.user,
            context=api_context(request),
            patient=data["nhs_number"],
            pharmacy=data["pharmacy"],
            budget=data["budget"],
            items=data["items"],
            discharge=data["discharge"],
            short_supply_reason=data["short_supply_reason"],
            shared_care=data["shared_care"],
        )
        return Response(_shown(request, prescription.uuid), status=status.HTTP_201_CREATED)


@extend_schema(
    tags=["prescribing"],
    summary="One prescription (404 unless the caller prescribed it or is the patient's GP)",
    responses=s.PrescriptionOutputSerializer,
)
class PrescriptionDetailApi(APIView):
    def get(self, request, prescription_id):
        prescription = selectors.prescription_get_for_user(
            user=request.user, prescription_uuid=prescription_id
        )
        audit_read(request, [prescription], action=AuditAction.VIEW, object_type=OBJECT_TYPE)
        return Response(s.PrescriptionOutputSerializer(prescription).data)


class PrescriptionActionApi(RecordActionApi):
    """A POST on a prescription the caller may see: 404 unseen, 403 for anyone but the
    prescriber, 409 if it is no longer issued."""

    input_serializer_class: type[serializers.Serializer] = serializers.Serializer

    def fetch(self, request, prescription_id) -> Prescription:
        return selectors.prescription_for_action(
            user=request.user, prescription_uuid=prescription_id, action=self.action
        )

    def respond(self, request, record, result) -> Response:
        return Response(_shown(request, record.uuid))


def _action_schema(summary: str, request):
    return extend_schema(
        tags=["prescribing"],
        summary=summary,
        request=request,
        responses={200: s.PrescriptionOutputSerializer, 409: PrescribingConflictOutputSerializer},
    )


@_action_schema(
    "Record that the pharmacy dispensed it (the prescriber, standing in for the EPS "
    "dispensing notification)",
    None,
)
class PrescriptionDispenseApi(PrescriptionActionApi):
    action = "dispense"

    def perform(self, *, record, **kwargs):
        services.prescription_dispense(prescription=record, **kwargs)


@_action_schema(
    "Cancel an issued prescription (the prescriber)", s.PrescriptionCancelInputSerializer
)
class PrescriptionCancelApi(PrescriptionActionApi):
    action = "cancel"
    input_serializer_class = s.PrescriptionCancelInputSerializer

    def perform(self, *, record, **kwargs):
        services.prescription_cancel(prescription=record, **kwargs)


@extend_schema(
    tags=["fhir"],
    summary="The prescription as a FHIR R4 MedicationRequest (UK Core); several items: a "
    "Bundle of MedicationRequests sharing its groupIdentifier",
    responses={(200, "application/fhir+json"): OpenApiResponse(OpenApiTypes.OBJECT)},
)
class PrescriptionFhirApi(APIView):
    renderer_classes = [FhirJsonRenderer, JSONRenderer]

    def get(self, request, prescription_id):
        prescription = selectors.prescription_get_for_user(
            user=request.user, prescription_uuid=prescription_id
        )
        audit_read(request, [prescription], action=AuditAction.EXPORT, object_type=OBJECT_TYPE)
        return Response(fhir.prescription_resource(prescription))


__all__ = [
    "PrescriptionCancelApi",
    "PrescriptionDetailApi",
    "PrescriptionDispenseApi",
    "PrescriptionFhirApi",
    "PrescriptionListCreateApi",
]
