"""What the triage API views share: the audit context, permission and input checks, audited lists."""

from __future__ import annotations

from rest_framework.exceptions import PermissionDenied

from audit.models import AuditAction
from audit.services import AuditContext, audit_records_shown
from audit.web import api_context
from triage import selectors


def request_context(request) -> AuditContext:
    """The audit context of an API request."""
    return api_context(request)


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied("You cannot do this to this record.")


def validated(request, serializer_class) -> dict:
    """The request body parsed by an input serializer, or 400 with its field errors."""
    serializer = serializer_class(data=request.data, context={"request": request})
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def audit_read(request, objects, *, action: str, object_type: str) -> None:
    """Audit the patient-identifiable objects served. Managers get pseudonymised rows only,
    which identify nobody."""
    if not selectors.is_pseudonymised_for(request.user):
        audit_records_shown(
            actor=request.user,
            context=api_context(request),
            records=objects,
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

    def get_serializer_context(self):
        return {
            **super().get_serializer_context(),
            "pseudonym_scope": selectors.pseudonym_scope_for(self.request.user),
        }
