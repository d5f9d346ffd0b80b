"""What the contracts API views share beyond ``core.api`` and ``directory.api.shared``: audited
obligation rows, the paginations and the CSV renderer."""

from __future__ import annotations

from django.utils import timezone
from rest_framework.renderers import BaseRenderer, JSONRenderer

from audit.models import AuditAction
from contracts import presenters, selectors
from core.api import CursorPagination
from directory.api.shared import audit_read


def obligation_rows(request, obligations, *, action: str = AuditAction.LIST) -> list[dict]:
    """The rows of ``obligations`` as the caller may see them, audited as shown."""
    obligations = list(obligations)
    audit_read(request, obligations, action=action, object_type="obligation")
    scope = selectors.pseudonym_scope_for(request.user)
    now = timezone.now()
    return [presenters.obligation_row(o, now=now, pseudonym_scope=scope) for o in obligations]


class NewestDueFirst(CursorPagination):
    ordering = ("-due_at", "-id")


class NewestFirst(CursorPagination):
    ordering = ("-created_at", "-id")


class CsvRenderer(BaseRenderer):
    """Lets ``?format=csv`` through content negotiation; the view streams the CSV itself and
    only an error answer is rendered here, as JSON."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return JSONRenderer().render(data)
