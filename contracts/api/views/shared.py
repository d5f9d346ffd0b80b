"""What the contracts API views share beyond ``core.api`` and ``directory.api.shared``: audited
obligation rows and the paginations."""

from __future__ import annotations

from django.utils import timezone

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
