"""Review panels: list, create, detail, assignment by id or by the queue filters, and the
caller's invitations to panels (accept or decline)."""

from __future__ import annotations

from collections.abc import Callable

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from audit.web import api_context
from core.api import CursorPagination, require, validated
from triage import permissions, selectors
from triage.api import serializers as s
from triage.api.views.shared import REFUSED
from triage.filters import QueueFilterSet
from triage.models import PanelMembership
from triage.services import panels as panel_services


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
        data = validated(request, s.PanelCreateInputSerializer)
        require(permissions.can_set_up_panels(request.user, data["provider"].pk), REFUSED)
        panel = panel_services.panel_create(actor=request.user, **data)
        return Response(s.PanelOutputSerializer(panel).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["panels"], summary="One review panel", responses=s.PanelOutputSerializer)
class PanelDetailApi(APIView):
    def get(self, request, panel_id):
        return Response(
            s.PanelOutputSerializer(
                selectors.panel_get_for_user(user=request.user, panel_uuid=panel_id)
            ).data
        )


@extend_schema(
    tags=["panels"],
    summary="Assign referrals to the panel, by id or by the queue filters",
    request=s.PanelAssignInputSerializer,
    responses=s.PanelAssignOutputSerializer,
)
class PanelAssignApi(APIView):
    def post(self, request, panel_id):
        panel = selectors.panel_for_assignment(user=request.user, panel_uuid=panel_id)
        data = validated(request, s.PanelAssignInputSerializer)
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
            panel=panel,
            actor=request.user,
            context=api_context(request),
            referrals=referrals,
            selected_by="referrals" if "referrals" in data else "filters",
        )
        return Response({"assigned": assigned})


class InvitationPagination(CursorPagination):
    ordering = ("-joined_at", "-id")


@extend_schema(
    tags=["panels"],
    summary="The caller's invitations to review panels, not yet answered",
    description=(
        "Seats offered to the caller on panels of providers outside their ICB. A panel shows "
        "an invited clinician none of its patients until they accept."
    ),
)
class PanelInvitationListApi(ListAPIView):
    serializer_class = s.PanelInvitationOutputSerializer
    pagination_class = InvitationPagination
    filter_backends: list = []

    def get_queryset(self):
        return selectors.panel_invitations_for(self.request.user)


class PanelMembershipResponseApi(APIView):
    """The caller answers their own invitation: 404 for a panel they were not invited to, 409
    for an invitation already answered the other way."""

    service: Callable[..., PanelMembership]  # the service that records the answer

    def post(self, request, panel_id):
        membership = selectors.panel_membership_for_response(user=request.user, panel_uuid=panel_id)
        membership = self.service(membership=membership, actor=request.user)
        return Response(s.PanelInvitationOutputSerializer(membership).data)


@extend_schema(
    tags=["panels"],
    summary="Accept a seat on the panel: its referrals and their patients become visible",
    request=None,
    responses={200: s.PanelInvitationOutputSerializer, 409: s.ConflictOutputSerializer},
)
class PanelMembershipAcceptApi(PanelMembershipResponseApi):
    service = staticmethod(panel_services.panel_membership_accept)


@extend_schema(
    tags=["panels"],
    summary="Decline a seat on the panel",
    request=None,
    responses={200: s.PanelInvitationOutputSerializer, 409: s.ConflictOutputSerializer},
)
class PanelMembershipDeclineApi(PanelMembershipResponseApi):
    service = staticmethod(panel_services.panel_membership_decline)
