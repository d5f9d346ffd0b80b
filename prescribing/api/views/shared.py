"""What the prescribing API views share: the audit context, permission and input checks,
audited lists."""

from __future__ import annotations

from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied

from audit.models import AuditAction
from audit.services import AuditContext, audit_records_shown
from audit.web import api_context
from core.api import CursorPagination


def request_context(request) -> AuditContext:
    return api_context(request)


def require(allowed: bool, message: str = "You cannot do this.") -> None:
    if not allowed:
        raise PermissionDenied(message)


def validated(request, serializer_class) -> dict:
    """The request body parsed by an input serializer, or 400 with its field errors."""
    serializer = serializer_class(data=request.data, context={"request": request})
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def audit_read(request, records, *, action: str, object_type: str) -> None:
    """Audit the patient-identifiable records served (each carries ``patient_id``, ``uuid``)."""
    audit_records_shown(
        actor=request.user,
        context=api_context(request),
        records=records,
        action=action,
        object_type=object_type,
    )


class AuditedListMixin:
    """Audits each page as it is served (action "list")."""

    audit_object_type = ""

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        audit_read(self.request, page, action=AuditAction.LIST, object_type=self.audit_object_type)
        return page


class NewestFirst(CursorPagination):
    ordering = ("-id",)


class PrescribingConflictOutputSerializer(serializers.Serializer):
    """A 409: why, and the record's current state."""

    detail = serializers.CharField()
    current = serializers.DictField()
