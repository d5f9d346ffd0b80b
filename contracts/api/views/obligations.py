"""``GET obligations/``, ``GET obligations/{id}/`` and ``POST obligations/{id}/fulfil/``."""

from __future__ import annotations

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from audit.models import AuditAction
from audit.web import api_context
from contracts import selectors
from contracts.api import serializers as s
from contracts.api.views.shared import NewestDueFirst, obligation_rows
from contracts.filters import ObligationFilterSet
from contracts.services.obligations import obligation_fulfil
from core.api import validated


@extend_schema(
    tags=["contracts"],
    summary="Obligations the caller may see, latest due first",
    description=(
        "The provider's clinicians see its obligations, GPs their practice's patients', ICB "
        "managers their ICB's providers' (pseudonymised: no NHS number). `status` is as of "
        "now: `overdue` from the moment the due time passes unfulfilled."
    ),
    responses=s.ObligationOutputSerializer(many=True),
)
class ObligationListApi(ListAPIView):
    serializer_class = s.ObligationOutputSerializer
    pagination_class = NewestDueFirst
    filter_backends = [DjangoFilterBackend]
    filterset_class = ObligationFilterSet

    def get_queryset(self):
        return selectors.obligations_visible_to(self.request.user)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(obligation_rows(request, page))


@extend_schema(
    tags=["contracts"],
    summary="One obligation (404 without a relationship)",
    responses=s.ObligationOutputSerializer,
)
class ObligationDetailApi(APIView):
    def get(self, request, obligation_id):
        obligation = selectors.obligation_get_for_user(
            user=request.user, obligation_uuid=obligation_id
        )
        return Response(obligation_rows(request, [obligation], action=AuditAction.VIEW)[0])


@extend_schema(
    tags=["contracts"],
    summary="Fulfil an obligation: the document was sent or the action done",
    description=(
        "`at` defaults to now and is never in the future or before the event. Met by the due "
        "time is `met`, after it `met_late`. The provider's clinicians only (403 for others "
        "who may see it); already fulfilled is 409."
    ),
    request=s.ObligationFulfilInputSerializer,
    responses=s.ObligationOutputSerializer,
)
class ObligationFulfilApi(APIView):
    def post(self, request, obligation_id):
        obligation = selectors.obligation_for_fulfilment(
            user=request.user, obligation_uuid=obligation_id
        )
        data = validated(request, s.ObligationFulfilInputSerializer)
        obligation = obligation_fulfil(
            obligation=obligation,
            actor=request.user,
            context=api_context(request),
            at=data["at"],
            note=data["note"],
        )
        return Response(obligation_rows(request, [obligation], action=AuditAction.VIEW)[0])
