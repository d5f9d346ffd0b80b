"""Advice & Guidance and advice requests: list, ask, reply, convert."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.response import Response

from audit.web import api_context
from core.api import CursorPagination, require, validated
from directory.api.shared import AuditedListMixin, RecordActionApi
from triage import permissions, selectors
from triage.api import serializers as s
from triage.api.views.shared import REFUSED
from triage.models import AdviceRequest
from triage.services import advice as advice_services


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
        require(permissions.can_refer(request.user), REFUSED)
        data = validated(request, s.AdviceGuidanceInputSerializer)
        advice = advice_services.advice_guidance_request(
            actor=request.user,
            context=api_context(request),
            patient=data["nhs_number"],
            provider=data["provider"],
            treatment_function=data["treatment_function"],
            question=data["question"],
        )
        return Response(s.AdviceOutputSerializer(advice).data, status=status.HTTP_201_CREATED)


class AdviceActionApi(RecordActionApi):
    """A POST on an advice request the caller may see: 404 without a part in it, 403 when the
    caller may see it but ``permission`` does not let them do this."""

    input_serializer_class: type[serializers.Serializer] = serializers.Serializer
    output_serializer_class = s.AdviceOutputSerializer
    permission = staticmethod(permissions.can_reply_to_advice)

    def fetch(self, request, advice_id) -> AdviceRequest:
        advice = selectors.advice_get_for_user(user=request.user, advice_uuid=advice_id)
        require(self.permission(request.user, advice), REFUSED)
        return advice


@extend_schema(
    tags=["advice"],
    summary="Answer an advice request (a GP's answer returns the referral to review)",
    request=s.AdviceReplyInputSerializer,
    responses=s.AdviceOutputSerializer,
)
class AdviceReplyApi(AdviceActionApi):
    input_serializer_class = s.AdviceReplyInputSerializer

    def perform(self, *, record, **kwargs):
        return advice_services.advice_reply(advice=record, **kwargs)


@extend_schema(
    tags=["advice"],
    summary="Convert an Advice & Guidance request to a referral (the specialist asked)",
    request=s.AdviceConvertInputSerializer,
    responses={201: s.ReferralOutputSerializer},
)
class AdviceConvertApi(AdviceActionApi):
    input_serializer_class = s.AdviceConvertInputSerializer
    output_serializer_class = s.ReferralOutputSerializer
    success_status = status.HTTP_201_CREATED
    permission = staticmethod(permissions.can_convert_advice)

    def perform(self, *, record, **kwargs):
        return advice_services.advice_convert_to_referral(advice=record, **kwargs)
