"""``GET /api/v1/queue/`` (docs/product.md §7): keyset pages of the queue, pseudonymised for managers;
``?format=csv`` streams every row the filters select as a CSV download, audited as an export."""

from __future__ import annotations

from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.generics import ListAPIView
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.urls import replace_query_param

from audit.models import AuditAction
from core.api import CsvRenderer, CursorPagination
from core.csvexport import csv_response
from core.keyset import keyset_paginate
from directory.api.shared import AuditedListMixin, audit_read
from triage import selectors
from triage.api import serializers as s
from triage.filters import QueueFilterSet
from triage.models import Referral
from triage.presenters import QUEUE_ROW_COLUMNS, QUEUE_ROW_VALUES, queue_row_values

# Rows fetched per keyset step of an export: memory stays flat and each step is one indexed
# range scan, however long the queue.
EXPORT_CHUNK = 1000


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


def _csv_value(value):
    # The same spelling as the JSON rows: true/false, ISO dates, and nothing for null.
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


@extend_schema(
    summary="The referral queue",
    description=(
        "Open referrals the caller may see, in queue order (target date, then category "
        "urgency, then clock start, then id). Rows are pseudonymised for managers. Invalid "
        "filter values are answered with 400 and the field's errors. With `format=csv` every "
        "row the filters select is streamed as a CSV download (same columns, no pages), "
        "audited as an export."
    ),
    parameters=[
        OpenApiParameter(
            "format", str, enum=["json", "csv"], description="`csv`: download every row."
        )
    ],
    responses=s.QueueRowOutputSerializer(many=True),
)
class QueueListApi(AuditedListMixin, ListAPIView):
    serializer_class = s.QueueRowOutputSerializer
    pagination_class = QueueKeysetPagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = QueueFilterSet
    audit_object_type = "referral"
    renderer_classes = [JSONRenderer, CsvRenderer]

    def get_queryset(self):
        return selectors.queue_for_user(self.request.user)

    def list(self, request, *args, **kwargs):
        if request.accepted_renderer.format == CsvRenderer.format:
            return self.export(request)
        # The hot path: plain rows from .values(), no model instances, and the rows are already
        # JSON-ready, so the output serializer documents the shape without walking 850 fields.
        queryset = self.filter_queryset(self.get_queryset()).values(*QUEUE_ROW_VALUES)
        page = self.paginate_queryset(queryset)
        today = timezone.localdate()
        scope = selectors.pseudonym_scope_for(request.user)
        rows = [queue_row_values(r, today=today, pseudonym_scope=scope) for r in page]
        return self.get_paginated_response(rows)

    def export(self, request):
        queryset = self.filter_queryset(self.get_queryset()).values(*QUEUE_ROW_VALUES)
        today = timezone.localdate()
        columns = [column.name for column in QUEUE_ROW_COLUMNS]
        return csv_response(
            f"queue-{today.isoformat()}.csv",
            columns,
            self._export_rows(request, queryset, columns=columns, today=today),
        )

    def _export_rows(self, request, queryset, *, columns, today):
        """Every row in queue order, a keyset step at a time, through the API's presenter.
        Each step is audited (one "export" event per identifiable row) before it is sent."""
        scope = selectors.pseudonym_scope_for(request.user)
        cursor = None
        while True:
            step = keyset_paginate(
                queryset,
                table=Referral._meta.db_table,
                fields=selectors.QUEUE_KEY,
                cursor=cursor,
                page_size=EXPORT_CHUNK,
            )
            audit_read(request, step.rows, action=AuditAction.EXPORT, object_type="referral")
            for values in step.rows:
                row = queue_row_values(values, today=today, pseudonym_scope=scope)
                yield [_csv_value(row[name]) for name in columns]
            if step.next_cursor is None:
                return
            cursor = step.next_cursor
