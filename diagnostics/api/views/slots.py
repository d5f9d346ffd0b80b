"""Test types and capacity slots: no patient data, so nothing here is audited as a read."""

from __future__ import annotations

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.response import Response

from audit.web import api_context
from core.api import CursorPagination, require, validated
from diagnostics import permissions, selectors, services
from diagnostics.api import serializers as s
from diagnostics.filters import SlotFilterSet


class TestTypePagination(CursorPagination):
    ordering = ("name", "id")


class SlotPagination(CursorPagination):
    ordering = ("starts_at", "id")


@extend_schema(tags=["diagnostics"], summary="The test types hubs offer (SNOMED CT coded)")
class TestTypeListApi(ListAPIView):
    __test__ = False
    serializer_class = s.TestTypeOutputSerializer
    pagination_class = TestTypePagination
    filter_backends: list = []

    def get_queryset(self):
        return selectors.test_types()


@extend_schema(tags=["diagnostics"])
class SlotListCreateApi(ListAPIView):
    """Free slots (future, with room), soonest first; hub staff add their hub's slots."""

    serializer_class = s.SlotOutputSerializer
    pagination_class = SlotPagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = SlotFilterSet

    def get_queryset(self):
        return selectors.free_slots()

    @extend_schema(summary="Free slots, by test type (code), hub (ODS) and dates")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Add a slot at your hub (hub staff)",
        request=s.SlotCreateInputSerializer,
        responses={201: s.SlotOutputSerializer},
    )
    def post(self, request):
        require(permissions.is_hub_staff(request.user, request.user.organisation_id))
        data = validated(request, s.SlotCreateInputSerializer)
        require(permissions.can_manage_slots(request.user, data["hub"]))
        slot = services.slot_create(actor=request.user, context=api_context(request), **data)
        return Response(s.SlotOutputSerializer(slot).data, status=status.HTTP_201_CREATED)
