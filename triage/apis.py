"""Triage API (PRODUCT.md §7): the queue, referrals, reviews, pathway actions, panels, advice
and FHIR. Each view reads through ``triage.selectors`` and writes through ``triage.services``,
so the browser and the API apply the same access rules; every patient-identifiable read is
audited here."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import ListAPIView
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

from interface.api import CursorPagination
from interface.keyset import keyset_paginate
from interface.models import AuditAction, Role
from interface.services import AuditContext, audit_record
from triage import fhir, permissions, selectors
from triage import serializers as s
from triage.filters import QueueFilterSet
from triage.models import Referral
from triage.presenters import QUEUE_ROW_VALUES, queue_row_values
from triage.services import advice as advice_services
from triage.services import harm as harm_services
from triage.services import panels as panel_services
from triage.services import referrals as referral_services
from triage.services import reviews as review_services


def _context(request) -> AuditContext:
    return AuditContext.from_request(request)


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied("You cannot do this to this record.")


def _validated(request, serializer_class) -> dict:
    """The request body parsed by an input serializer, or 400 with its field errors."""
    serializer = serializer_class(data=request.data, context={"request": request})
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _field(obj, name: str):
    """A field of a model instance or of a ``.values()`` row."""
    return obj[name] if isinstance(obj, dict) else getattr(obj, name)


def _audit_read(request, objects, *, action: str, object_type: str) -> None:
    """One audit event per patient-identifiable object served, in one INSERT. Managers get
    pseudonymised rows only, which identify nobody."""
    if selectors.is_pseudonymised_for(request.user) or not objects:
        return
    audit_record(
        actor=request.user,
        context=_context(request),
        action=action,
        object_type=object_type,
        patient_ids=[_field(obj, "patient_id") for obj in objects],
        object_ids=[str(_field(obj, "uuid")) for obj in objects],
    )


class AuditedListMixin:
    """Audits each page as it is served (action "list")."""

    audit_object_type = ""

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        _audit_read(self.request, page, action=AuditAction.LIST, object_type=self.audit_object_type)
        return page

    def get_serializer_context(self):
        return {
            **super().get_serializer_context(),
            "pseudonymise": selectors.is_pseudonymised_for(self.request.user),
        }


# The queue


class QueueKeysetPagination(CursorPagination):
    """The project's pagination (page size, limit, response shape) on the queue's unique sort
    key: keyset, never OFFSET and never a COUNT, so page 10,000 costs what page 1 does."""

    def paginate_queryset(self, queryset, request, view=None):
        self.base_url = request.build_absolute_uri()
        self.keyset = keyset_paginate(
            queryset,
            table=Referral._meta.db_table,
            fields=selectors.QUEUE_KEY,
            cursor=request.query_params.get(self.cursor_query_param),
            page_size=self.get_page_size(request),
        )
        return self.keyset.rows

    def _link(self, cursor: str | None) -> str | None:
        return (
            replace_query_param(self.base_url, self.cursor_query_param, cursor) if cursor else None
        )

    def get_next_link(self):
        return self._link(self.keyset.next_cursor)

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "The cursor from a previous page's next or previous link.",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": "Rows per page.",
                "schema": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": self.max_page_size,
                    "default": self.page_size,
                },
            },
        ]

    def get_previous_link(self):
        return self._link(self.keyset.previous_cursor)


@extend_schema(
    summary="The referral queue",
    description=(
        "Open referrals the caller may see, in queue order (target date, then category "
        "urgency, then clock start, then id). Rows are pseudonymised for managers. Invalid "
        "filter values are answered with 400 and the field's errors."
    ),
    responses=s.QueueRowOutputSerializer(many=True),
)
class QueueListApi(AuditedListMixin, ListAPIView):
    serializer_class = s.QueueRowOutputSerializer
    pagination_class = QueueKeysetPagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = QueueFilterSet
    audit_object_type = "referral"

    def get_queryset(self):
        return selectors.queue_for_user(self.request.user)

    def list(self, request, *args, **kwargs):
        # The hot path: plain rows from .values(), no model instances, and the rows are already
        # JSON-ready, so the output serializer documents the shape without walking 850 fields.
        queryset = self.filter_queryset(self.get_queryset()).values(*QUEUE_ROW_VALUES)
        page = self.paginate_queryset(queryset)
        today = timezone.localdate()
        pseudonymise = selectors.is_pseudonymised_for(request.user)
        rows = [queue_row_values(r, today=today, pseudonymise=pseudonymise) for r in page]
        return self.get_paginated_response(rows)


# Referrals


class ReferralPagination(CursorPagination):
    ordering = ("-created_at", "-id")


def _referral_detail(request, referral: Referral) -> dict:
    referral.history_events = list(selectors.referral_history(referral))
    referral.review_list = list(selectors.referral_reviews(referral))
    context = {"pseudonymise": selectors.is_pseudonymised_for(request.user)}
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
        _require(permissions.can_refer(request.user))
        data = _validated(request, s.ReferralCreateInputSerializer)
        referral = referral_services.referral_create(
            actor=request.user,
            context=_context(request),
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
        _audit_read(request, [referral], action=AuditAction.VIEW, object_type="referral")
        return Response(_referral_detail(request, referral))


class ReferralActionApi(APIView):
    """A POST on one referral the caller may see: 404 without a relationship, 403 when the
    caller may see it but not do this, 400 with field errors for bad input."""

    input_serializer_class: type[serializers.Serializer] = serializers.Serializer
    output_serializer_class: type[serializers.Serializer] = s.ReferralOutputSerializer
    success_status = status.HTTP_200_OK

    def allowed(self, user, referral: Referral) -> bool:
        return permissions.can_manage_pathway(user, referral)

    def perform(self, *, referral: Referral, actor, context: AuditContext, **data):
        raise NotImplementedError

    def post(self, request, referral_id):
        referral = selectors.referral_get_for_user(user=request.user, referral_uuid=referral_id)
        _require(self.allowed(request.user, referral))
        result = self.perform(
            referral=referral,
            actor=request.user,
            context=_context(request),
            **_validated(request, self.input_serializer_class),
        )
        return Response(self.output_serializer_class(result).data, status=self.success_status)


def _action_schema(summary: str, request, responses=s.ReferralOutputSerializer):
    return extend_schema(tags=["referrals"], summary=summary, request=request, responses=responses)


@_action_schema(
    "Review a referral: category, outcome, rationale (409 if another review won)",
    s.ReviewInputSerializer,
    {201: s.ReviewOutputSerializer, 409: s.ConflictOutputSerializer},
)
class ReferralReviewApi(ReferralActionApi):
    input_serializer_class = s.ReviewInputSerializer
    output_serializer_class = s.ReviewOutputSerializer
    success_status = status.HTTP_201_CREATED

    def allowed(self, user, referral):
        return permissions.can_review(user, referral)

    def perform(self, *, referral, actor, context, **data):
        return review_services.referral_review(
            referral=referral, reviewer=actor, context=context, **data
        )


@_action_schema("Book (or rebook) an appointment", s.BookInputSerializer)
class ReferralBookApi(ReferralActionApi):
    input_serializer_class = s.BookInputSerializer

    def perform(self, *, referral, actor, context, **data):
        return referral_services.referral_book(
            referral=referral, actor=actor, context=context, **data
        )


@_action_schema("Record that the patient did not attend (the provider rebooks)", None)
class ReferralRecordDnaApi(ReferralActionApi):
    def perform(self, *, referral, actor, context, **data):
        return referral_services.referral_record_dna(
            referral=referral, actor=actor, context=context
        )


@_action_schema("Stop the RTT clock: treated or discharged", s.StopClockInputSerializer)
class ReferralStopClockApi(ReferralActionApi):
    input_serializer_class = s.StopClockInputSerializer

    def perform(self, *, referral, actor, context, **data):
        return referral_services.referral_stop_clock(
            referral=referral, actor=actor, context=context, **data
        )


@_action_schema("Cancel a referral (provider or referring practice)", s.CancelInputSerializer)
class ReferralCancelApi(ReferralActionApi):
    input_serializer_class = s.CancelInputSerializer

    def allowed(self, user, referral):
        referring_practice = user.is_clinician and user.organisation_id == (
            referral.referring_practice_id
        )
        return permissions.can_manage_pathway(user, referral) or referring_practice

    def perform(self, *, referral, actor, context, **data):
        return referral_services.referral_cancel(
            referral=referral, actor=actor, context=context, **data
        )


@_action_schema(
    "Record a clinical harm review of a long or breached wait",
    s.HarmReviewInputSerializer,
    {201: s.HarmReviewOutputSerializer},
)
class ReferralHarmReviewApi(ReferralActionApi):
    input_serializer_class = s.HarmReviewInputSerializer
    output_serializer_class = s.HarmReviewOutputSerializer
    success_status = status.HTTP_201_CREATED

    def allowed(self, user, referral):
        return permissions.can_harm_review(user, referral)

    def perform(self, *, referral, actor, context, **data):
        return harm_services.harm_review_record(
            referral=referral, reviewer=actor, context=context, **data
        )


def _runs_panels_of(user, provider_id: int) -> bool:
    """Setting up a provider's panels and assigning to them: its own clinicians."""
    return user.is_clinician and user.organisation_id == provider_id


def _panel_for_user(user, panel_uuid):
    return get_object_or_404(selectors.panels_visible_to(user), uuid=panel_uuid)


@_action_schema(
    "Assign the referral to a review panel of its service", s.AssignPanelInputSerializer
)
class ReferralAssignPanelApi(ReferralActionApi):
    input_serializer_class = s.AssignPanelInputSerializer

    def perform(self, *, referral, actor, context, panel):
        found = selectors.panels_visible_to(actor).filter(uuid=panel).first()
        if found is None:
            raise serializers.ValidationError({"panel": ["No panel you may see has this id."]})
        moved = panel_services.panel_assign_referrals(
            panel=found,
            actor=actor,
            context=context,
            referrals=Referral.objects.filter(pk=referral.pk),
        )
        if not moved and referral.panel_id != found.pk:
            raise serializers.ValidationError(
                {"panel": ["This panel reviews another service, or the referral is closed."]}
            )
        return selectors.referrals_visible_to(actor).get(pk=referral.pk)


# Panels


class PanelPagination(CursorPagination):
    ordering = ("name", "id")


@extend_schema(tags=["panels"])
class PanelListCreateApi(ListAPIView):
    """Review panels: named groups of clinicians from primary, community and secondary care."""

    serializer_class = s.PanelOutputSerializer
    pagination_class = PanelPagination
    filter_backends: list = []

    def get_queryset(self):
        return selectors.panels_visible_to(self.request.user)

    @extend_schema(summary="Review panels the caller sits on, runs or commissions")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Set up a review panel for one service, with members from all three sectors",
        request=s.PanelCreateInputSerializer,
        responses={201: s.PanelOutputSerializer},
    )
    def post(self, request):
        data = _validated(request, s.PanelCreateInputSerializer)
        _require(
            request.user.role == Role.ADMIN or _runs_panels_of(request.user, data["provider"].pk)
        )
        panel = panel_services.panel_create(actor=request.user, **data)
        return Response(s.PanelOutputSerializer(panel).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["panels"], summary="One review panel", responses=s.PanelOutputSerializer)
class PanelDetailApi(APIView):
    def get(self, request, panel_id):
        return Response(s.PanelOutputSerializer(_panel_for_user(request.user, panel_id)).data)


@extend_schema(
    tags=["panels"],
    summary="Assign referrals to the panel, by id or by the queue filters",
    request=s.PanelAssignInputSerializer,
    responses=s.PanelAssignOutputSerializer,
)
class PanelAssignApi(APIView):
    def post(self, request, panel_id):
        panel = _panel_for_user(request.user, panel_id)
        _require(_runs_panels_of(request.user, panel.provider_id))
        data = _validated(request, s.PanelAssignInputSerializer)
        if "referrals" in data:
            referrals = selectors.referrals_visible_to(request.user).filter(
                uuid__in=data["referrals"]
            )
        else:
            filterset = QueueFilterSet(
                data=data["filters"], queryset=selectors.queue_for_user(request.user)
            )
            if not filterset.is_valid():
                raise serializers.ValidationError({"filters": filterset.errors})
            referrals = filterset.qs
        assigned = panel_services.panel_assign_referrals(
            panel=panel, actor=request.user, context=_context(request), referrals=referrals
        )
        return Response({"assigned": assigned})


# Advice


class AdvicePagination(CursorPagination):
    ordering = ("-asked_at", "-id")


@extend_schema(tags=["advice"])
class AdviceListCreateApi(AuditedListMixin, ListAPIView):
    """Advice both ways: consultants asking referring GPs, GPs asking specialists (A&G)."""

    serializer_class = s.AdviceOutputSerializer
    pagination_class = AdvicePagination
    filter_backends: list = []
    audit_object_type = "advice_request"

    def get_queryset(self):
        return selectors.advice_visible_to(self.request.user)

    @extend_schema(summary="Advice requests to or from the caller's organisation")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Ask a specialist service for Advice & Guidance (GPs)",
        request=s.AdviceGuidanceInputSerializer,
        responses={201: s.AdviceOutputSerializer},
    )
    def post(self, request):
        _require(permissions.can_refer(request.user))
        data = _validated(request, s.AdviceGuidanceInputSerializer)
        advice = advice_services.advice_guidance_request(
            actor=request.user,
            context=_context(request),
            patient=data["nhs_number"],
            provider=data["provider"],
            treatment_function=data["treatment_function"],
            question=data["question"],
        )
        return Response(s.AdviceOutputSerializer(advice).data, status=status.HTTP_201_CREATED)


class AdviceActionApi(APIView):
    input_serializer_class: type[serializers.Serializer] = serializers.Serializer

    def post(self, request, advice_id):
        advice = selectors.advice_get_for_user(user=request.user, advice_uuid=advice_id)
        _require(permissions.can_reply_to_advice(request.user, advice))
        data = _validated(request, self.input_serializer_class)
        return self.perform(advice=advice, actor=request.user, context=_context(request), **data)


@extend_schema(
    tags=["advice"],
    summary="Answer an advice request (a GP's answer returns the referral to review)",
    request=s.AdviceReplyInputSerializer,
    responses=s.AdviceOutputSerializer,
)
class AdviceReplyApi(AdviceActionApi):
    input_serializer_class = s.AdviceReplyInputSerializer

    def perform(self, **kwargs):
        return Response(s.AdviceOutputSerializer(advice_services.advice_reply(**kwargs)).data)


@extend_schema(
    tags=["advice"],
    summary="Convert an Advice & Guidance request to a referral (the specialist asked)",
    request=s.AdviceConvertInputSerializer,
    responses={201: s.ReferralOutputSerializer},
)
class AdviceConvertApi(AdviceActionApi):
    input_serializer_class = s.AdviceConvertInputSerializer

    def perform(self, **kwargs):
        referral = advice_services.advice_convert_to_referral(**kwargs)
        return Response(s.ReferralOutputSerializer(referral).data, status=status.HTTP_201_CREATED)


# FHIR


class FhirJsonRenderer(JSONRenderer):
    media_type = "application/fhir+json"
    format = "fhir"


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
        _audit_read(request, [referral], action=AuditAction.EXPORT, object_type="referral")
        return Response(fhir.service_request(referral))
