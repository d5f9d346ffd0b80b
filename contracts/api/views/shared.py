"""What the contracts API views share: the audit context, permission and input checks,
audited rows, and the CSV renderer."""

from __future__ import annotations

from django.utils import timezone
from rest_framework.exceptions import PermissionDenied
from rest_framework.renderers import BaseRenderer, JSONRenderer

from audit.models import AuditAction
from audit.services import AuditContext, audit_records_shown
from audit.web import api_context
from contracts import presenters, selectors
from core.api import CursorPagination


def request_context(request) -> AuditContext:
    return api_context(request)


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied("You cannot do this.")


def validated(request, serializer_class) -> dict:
    """The request body parsed by an input serializer, or 400 with its field errors."""
    serializer = serializer_class(data=request.data, context={"request": request})
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def audit_read(request, records, *, action: str, object_type: str) -> None:
    """Audit the identifiable records served; managers' rows are pseudonymised and name nobody."""
    if not selectors.is_pseudonymised_for(request.user):
        audit_records_shown(
            actor=request.user,
            context=api_context(request),
            records=records,
            action=action,
            object_type=object_type,
        )


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
