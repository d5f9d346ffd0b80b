"""Referrals: list, refer, detail, review, pathway actions, panel assignment and FHIR."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from audit.models import AuditAction
from audit.web import api_context
from core.api import CursorPagination, FhirJsonRenderer, require, validated
from directory.api.shared import AuditedListMixin, RecordActionApi, audit_read
from triage import permissions, selectors
from triage.api import fhir
from triage.api import serializers as s
from triage.api.views.shared import REFUSED
from triage.models import Referral
from triage.services import harm as harm_services
from triage.services import panels as panel_services
from triage.services import referrals as referral_services
from triage.services import reviews as review_services


class ReferralPagination(CursorPagination):
    ordering = ("-created_at", "-id")


def _referral_detail(request, referral: Referral) -> dict:
    referral.history_events = list(selectors.referral_history(referral))
    referral.review_list = list(selectors.referral_reviews(referral))
    context = {"pseudonym_scope": selectors.pseudonym_scope_for(request.user)}
    return s.ReferralDetailOutputSerializer(referral, context=context).data


@extend_schema(tags=["referrals"])
class ReferralListCreateApi(AuditedListMixin, ListAPIView):
    """Referrals the caller may see (pseudonymised for managers); GPs refer here."""

    serializer_class = s.ReferralOutputSerializer
    pagination_class = ReferralPagination
    filter_backends: list = []
    audit_object_type = "referral"

    def get_queryset(self):
        return selectors.referrals_visible_to(self.request.user)

    @extend_schema(summary="Referrals the caller may see, newest first")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Refer a patient (GPs, for a patient they may see)",
        request=s.ReferralCreateInputSerializer,
        responses={201: s.ReferralDetailOutputSerializer},
    )
    def post(self, request):
        require(permissions.can_refer(request.user), REFUSED)
        data = validated(request, s.ReferralCreateInputSerializer)
        referral = referral_services.referral_create(
            actor=request.user,
            context=api_context(request),
            patient=data["nhs_number"],
            referring_practice=request.user.organisation,
            referring_clinician=request.user,
            provider=data["provider"],
            treatment_function=data["treatment_function"],
            priority=data["priority"],
            clock_start=data["clock_start"],
            reason=data["reason"],
            ubrn=data["ubrn"] or None,
            external_id=data["external_id"],
        )
        return Response(_referral_detail(request, referral), status=status.HTTP_201_CREATED)


@extend_schema(
    tags=["referrals"],
    summary="One referral with its history and reviews (404 without a relationship)",
    responses=s.ReferralDetailOutputSerializer,
)
class ReferralDetailApi(APIView):
    def get(self, request, referral_id):
        referral = selectors.referral_get_for_user(user=request.user, referral_uuid=referral_id)
        audit_read(request, [referral], action=AuditAction.VIEW, object_type="referral")
        return Response(_referral_detail(request, referral))


class ReferralActionApi(RecordActionApi):
    """A POST on one referral the caller may see: 404 without a relationship, 403 when the
    caller may see it but not do this, 400 with field errors for bad input."""

    action = ""  # the slug of ``triage.permissions.REFERRAL_ACTIONS``
    input_serializer_class: type[serializers.Serializer] = serializers.Serializer
    output_serializer_class: type[serializers.Serializer] = s.ReferralOutputSerializer

    def fetch(self, request, referral_id) -> Referral:
        return selectors.referral_for_action(
            user=request.user, referral_uuid=referral_id, action=self.action
        )


def _action_schema(summary: str, request, responses=s.ReferralOutputSerializer):
    return extend_schema(tags=["referrals"], summary=summary, request=request, responses=responses)


@_action_schema(
    "Review a referral: category, outcome, rationale (409 if another review won; 200 with "
    "your own review when you send the same review of the same version again)",
    s.ReviewInputSerializer,
    {
        201: s.ReviewOutputSerializer,
        200: s.ReviewOutputSerializer,
        409: s.ConflictOutputSerializer,
    },
)
class ReferralReviewApi(ReferralActionApi):
    action = "review"
    input_serializer_class = s.ReviewInputSerializer
    output_serializer_class = s.ReviewOutputSerializer
    success_status = status.HTTP_201_CREATED

    def perform(self, *, record, actor, context, **data):
        return review_services.referral_review(
            referral=record, reviewer=actor, context=context, **data
        )

    def response_status(self, result) -> int:
        # A retry of a review already saved creates nothing: 200 with that review.
        return status.HTTP_200_OK if result.replayed else status.HTTP_201_CREATED


@_action_schema("Book (or rebook) an appointment", s.BookInputSerializer)
class ReferralBookApi(ReferralActionApi):
    action = "book"
    input_serializer_class = s.BookInputSerializer

    def perform(self, *, record, actor, context, **data):
        return referral_services.referral_book(
            referral=record, actor=actor, context=context, **data
        )


@_action_schema("Record that the patient did not attend (the provider rebooks)", None)
class ReferralRecordDnaApi(ReferralActionApi):
    action = "dna"

    def perform(self, *, record, actor, context, **data):
        return referral_services.referral_record_dna(referral=record, actor=actor, context=context)


@_action_schema("Stop the RTT clock: treated or discharged", s.StopClockInputSerializer)
class ReferralStopClockApi(ReferralActionApi):
    action = "stop-clock"
    input_serializer_class = s.StopClockInputSerializer

    def perform(self, *, record, actor, context, **data):
        return referral_services.referral_stop_clock(
            referral=record, actor=actor, context=context, **data
        )


@_action_schema("Cancel a referral (provider or referring practice)", s.CancelInputSerializer)
class ReferralCancelApi(ReferralActionApi):
    action = "cancel"
    input_serializer_class = s.CancelInputSerializer

    def perform(self, *, record, actor, context, **data):
        return referral_services.referral_cancel(
            referral=record, actor=actor, context=context, **data
        )


@_action_schema(
    "Record a clinical harm review of a long or breached wait",
    s.HarmReviewInputSerializer,
    {201: s.HarmReviewOutputSerializer},
)
class ReferralHarmReviewApi(ReferralActionApi):
    action = "harm-review"
    input_serializer_class = s.HarmReviewInputSerializer
    output_serializer_class = s.HarmReviewOutputSerializer
    success_status = status.HTTP_201_CREATED

    def perform(self, *, record, actor, context, **data):
        return harm_services.harm_review_record(
            referral=record, reviewer=actor, context=context, **data
        )


@_action_schema(
    "Assign the referral to a review panel of its service", s.AssignPanelInputSerializer
)
class ReferralAssignPanelApi(ReferralActionApi):
    action = "assign-panel"
    input_serializer_class = s.AssignPanelInputSerializer

    def perform(self, *, record, actor, context, panel):
        found = selectors.panels_visible_to(actor).filter(uuid=panel).first()
        if found is None:
            raise serializers.ValidationError({"panel": ["No panel you may see has this id."]})
        moved = panel_services.panel_assign_referrals(
            panel=found,
            actor=actor,
            context=context,
            referrals=Referral.objects.filter(pk=record.pk),
        )
        if not moved and record.panel_id != found.pk:
            raise serializers.ValidationError(
                {"panel": ["This panel reviews another service, or the referral is closed."]}
            )
        return selectors.referrals_visible_to(actor).get(pk=record.pk)


# FHIR


@extend_schema(
    tags=["fhir"],
    summary="The referral as a FHIR R4 ServiceRequest (UK Core)",
    responses={(200, "application/fhir+json"): OpenApiResponse(OpenApiTypes.OBJECT)},
)
class ReferralFhirApi(APIView):
    renderer_classes = [FhirJsonRenderer, JSONRenderer]

    def get(self, request, referral_id):
        if selectors.is_pseudonymised_for(request.user):
            # Managers never see an identifiable record; FHIR has no pseudonymised form here.
            raise Http404
        referral = selectors.referral_get_for_user(user=request.user, referral_uuid=referral_id)
        audit_read(request, [referral], action=AuditAction.EXPORT, object_type="referral")
        return Response(fhir.service_request(referral))
