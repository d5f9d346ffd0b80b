"""Results: the list and one result, acknowledgement, transfer of responsibility, and FHIR."""

from __future__ import annotations

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.generics import ListAPIView
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from audit.models import AuditAction
from core.api import CursorPagination, FhirJsonRenderer
from diagnostics import selectors, services
from diagnostics.api import fhir
from diagnostics.api import serializers as s
from diagnostics.api.views.shared import (
    TAGS,
    AuditedListMixin,
    RecordActionApi,
    RecordDetailApi,
    action_schema,
    audit_read,
)
from diagnostics.filters import ResultFilterSet


class ResultPagination(CursorPagination):
    ordering = ("-reported_at", "-id")


@extend_schema(
    tags=TAGS,
    summary="Results the caller may see, newest first",
    description="Filter by `responsible` (a username, or `me`), `acknowledged` and `nhs_number`.",
)
class ResultListApi(AuditedListMixin, ListAPIView):
    serializer_class = s.ResultOutputSerializer
    pagination_class = ResultPagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = ResultFilterSet

    def get_queryset(self):
        user = self.request.user
        # "responsible=me" starts from the caller's own rows (the filter then narrows the same).
        if self.request.query_params.get("responsible", "").strip().lower() == "me":
            return selectors.results_owned_by(user)
        return selectors.results_visible_to(user)


@extend_schema(
    tags=TAGS,
    summary="One result (404 without a relationship with the patient)",
    responses=s.ResultOutputSerializer,
)
class ResultDetailApi(RecordDetailApi):
    record_for = staticmethod(selectors.result_for_action)
    output_serializer_class = s.ResultOutputSerializer


class ResultActionApi(RecordActionApi):
    record_for = staticmethod(selectors.result_for_action)
    record_name = "result"
    output_serializer_class = s.ResultOutputSerializer


@action_schema("Acknowledge the result with the action taken (the responsible clinician)")
class ResultAcknowledgeApi(ResultActionApi):
    action = "acknowledge"
    input_serializer_class = s.AcknowledgeInputSerializer
    service = staticmethod(services.result_acknowledge)


@action_schema("Offer responsibility to a named clinician (effective once they accept)")
class ResultTransferApi(ResultActionApi):
    action = "transfer"
    input_serializer_class = s.TransferInputSerializer
    service = staticmethod(services.result_transfer_offer)


@action_schema("Accept responsibility for the result (the clinician it was offered to)")
class ResultAcceptTransferApi(ResultActionApi):
    action = "accept-transfer"
    service = staticmethod(services.result_transfer_accept)


@extend_schema(
    tags=["fhir"],
    summary="The result as a FHIR R4 DiagnosticReport (UK Core)",
    responses={(200, "application/fhir+json"): OpenApiResponse(OpenApiTypes.OBJECT)},
)
class ResultFhirApi(APIView):
    renderer_classes = [FhirJsonRenderer, JSONRenderer]

    def get(self, request, result_id):
        result = selectors.result_for_action(request.user, result_id, "view")
        audit_read(request, [result], action=AuditAction.EXPORT)
        return Response(fhir.diagnostic_report(result))
