"""``GET /api/v1/alerts/`` and ``POST /api/v1/alerts/{id}/read/`` (docs/product.md §7): the
caller's own alerts and their team's, newest first; someone else's alert is 404. Alerts name no
patient, so listing them reads no patient data; marking one read is audited by the service
when it is about a patient."""

from __future__ import annotations

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

from alerts.api.serializers import AlertOutputSerializer
from alerts.filters import AlertFilterSet
from alerts.selectors import alert_get_for_user, alert_page, alerts_visible_to
from alerts.services import alert_mark_read
from audit.web import api_context
from core.api import CursorPagination


class AlertKeysetPagination(CursorPagination):
    """The project's pagination (page size, limit, ``next``/``previous``/``results``) on the
    inbox's keyset, newest first (``alerts.selectors.alert_page``): a team inbox's page 100
    costs what its first does, and never a sort of the whole inbox."""

    def paginate_queryset(self, queryset, request, view=None):
        # ``queryset`` is the view's, filtered (its filters validated: a bad value is a 400
        # naming the field); the page is read from the inbox's parts, each narrowed by the
        # same filters, so each walks its own index.
        self.base_url = request.build_absolute_uri()
        self.keyset = alert_page(
            user=request.user,
            cursor=request.query_params.get(self.cursor_query_param),
            page_size=self.get_page_size(request),
            narrow=view.filter_queryset if view is not None else None,
        )
        return self.keyset.rows

    def _link(self, cursor: str | None) -> str | None:
        return (
            replace_query_param(self.base_url, self.cursor_query_param, cursor) if cursor else None
        )

    def get_next_link(self):
        return self._link(self.keyset.next_cursor)

    def get_previous_link(self):
        return self._link(self.keyset.previous_cursor)

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
                "description": "Alerts per page.",
                "schema": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": self.max_page_size,
                    "default": self.page_size,
                },
            },
        ]


@extend_schema(tags=["alerts"])
class AlertListApi(ListAPIView):
    serializer_class = AlertOutputSerializer
    pagination_class = AlertKeysetPagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = AlertFilterSet

    def get_queryset(self):
        return alerts_visible_to(self.request.user)

    @extend_schema(
        summary="The caller's alerts, and their organisation's (team) alerts, newest first"
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


@extend_schema(
    tags=["alerts"],
    summary="Mark an alert read (for the whole team, if it is a team alert)",
    request=None,
    responses=AlertOutputSerializer,
)
class AlertReadApi(APIView):
    def post(self, request, alert_id):
        alert = alert_get_for_user(user=request.user, alert_uuid=alert_id)
        alert = alert_mark_read(alert=alert, actor=request.user, context=api_context(request))
        return Response(AlertOutputSerializer(alert).data)
