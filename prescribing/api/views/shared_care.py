"""Shared care agreements: list, propose, detail, accept, decline, end."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from audit.models import AuditAction
from audit.web import api_context
from core.api import require, validated
from directory.api.shared import AuditedListMixin, RecordActionApi, audit_read
from prescribing import permissions, selectors
from prescribing.api import serializers as s
from prescribing.api.views.shared import NewestFirst, PrescribingConflictOutputSerializer
from prescribing.filters import AgreementFilterSet
from prescribing.models import SharedCareAgreement
from prescribing.services import shared_care as services

OBJECT_TYPE = "shared_care_agreement"


def _shown(request, agreement_uuid) -> dict:
    agreement = selectors.agreement_get_for_user(user=request.user, agreement_uuid=agreement_uuid)
    return s.AgreementOutputSerializer(agreement, context={"request": request}).data


@extend_schema(tags=["shared care"])
class AgreementListCreateApi(AuditedListMixin, ListAPIView):
    """Shared care agreements the caller initiated or is the GP of."""

    serializer_class = s.AgreementOutputSerializer
    pagination_class = NewestFirst
    filterset_class = AgreementFilterSet
    audit_object_type = OBJECT_TYPE

    def get_queryset(self):
        return selectors.agreements_visible_to(self.request.user)

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        # Each patient's latest bookings of the monitored tests, for the whole page at once.
        self.booked = selectors.last_bookings(user=self.request.user, agreements=page)
        return page

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "booked": getattr(self, "booked", None)}

    @extend_schema(summary="Shared care agreements the caller is a party to, newest first")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Propose shared care of a medicine to the patient's GP (consultants)",
        request=s.AgreementCreateInputSerializer,
        responses={201: s.AgreementOutputSerializer},
    )
    def post(self, request):
        require(
            permissions.can_propose_shared_care(request.user),
            "Only a consultant proposes shared care.",
        )
        data = validated(request, s.AgreementCreateInputSerializer)
        agreement = services.agreement_propose(
            actor=request.user,
            context=api_context(request),
            patient=data["nhs_number"],
            gp=data["gp"],
            medicine=data["medicine"],
            dmd_code=data["dmd_code"],
            monitoring=data["monitoring"],
        )
        return Response(_shown(request, agreement.uuid), status=status.HTTP_201_CREATED)


@extend_schema(
    tags=["shared care"],
    summary="One shared care agreement (404 unless the caller is its consultant or GP)",
    responses=s.AgreementOutputSerializer,
)
class AgreementDetailApi(APIView):
    def get(self, request, agreement_id):
        agreement = selectors.agreement_get_for_user(user=request.user, agreement_uuid=agreement_id)
        audit_read(request, [agreement], action=AuditAction.VIEW, object_type=OBJECT_TYPE)
        return Response(s.AgreementOutputSerializer(agreement, context={"request": request}).data)


class AgreementActionApi(RecordActionApi):
    input_serializer_class: type[serializers.Serializer] = serializers.Serializer

    def fetch(self, request, agreement_id) -> SharedCareAgreement:
        return selectors.agreement_for_action(
            user=request.user, agreement_uuid=agreement_id, action=self.action
        )

    def respond(self, request, record, result) -> Response:
        return Response(_shown(request, record.uuid))


def _action_schema(summary: str, request):
    return extend_schema(
        tags=["shared care"],
        summary=summary,
        request=request,
        responses={200: s.AgreementOutputSerializer, 409: PrescribingConflictOutputSerializer},
    )


@_action_schema("Accept the proposal (the GP it names only)", None)
class AgreementAcceptApi(AgreementActionApi):
    action = "accept"

    def perform(self, *, record, **kwargs):
        services.agreement_accept(agreement=record, **kwargs)


@_action_schema(
    "Decline the proposal, saying why (the GP it names only): prescribing stays with the "
    "specialist",
    s.AgreementReasonInputSerializer,
)
class AgreementDeclineApi(AgreementActionApi):
    action = "decline"
    input_serializer_class = s.AgreementReasonInputSerializer

    def perform(self, *, record, **kwargs):
        services.agreement_decline(agreement=record, **kwargs)


@_action_schema(
    "End an accepted or active agreement, saying why (its consultant or its GP)",
    s.AgreementReasonInputSerializer,
)
class AgreementEndApi(AgreementActionApi):
    action = "end"
    input_serializer_class = s.AgreementReasonInputSerializer

    def perform(self, *, record, **kwargs):
        services.agreement_end(agreement=record, **kwargs)
