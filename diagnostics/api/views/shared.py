"""What the diagnostics API views share: the audit context, input checks, audited reads and
the POST-an-action view shape."""

from __future__ import annotations

from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from audit.models import AuditAction
from audit.services import AuditContext, audit_record
from audit.web import api_context
from diagnostics.models import Booking, Result


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


def _patient_id(record) -> int:
    return record.patient_id if isinstance(record, Booking) else record.booking.patient_id


def audit_read(request, records, *, action: str) -> None:
    """One audit event per booking or result served, naming its patient (managers and
    administrators are never served either)."""
    records = list(records)
    if not records:
        return
    object_type = "diagnostic_booking" if isinstance(records[0], Booking) else "diagnostic_result"
    audit_record(
        actor=request.user,
        context=api_context(request),
        action=action,
        object_type=object_type,
        patient_ids=[_patient_id(r) for r in records],
        object_ids=[str(r.uuid) for r in records],
    )


class AuditedListMixin:
    """Audits each page as it is served (action "list")."""

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        audit_read(self.request, page or [], action=AuditAction.LIST)
        return page


class ActionApi(APIView):
    """A POST on one booking or result the caller may see: 404 without a relationship, 403 when
    the caller may see it but not do this, 400 with field errors, 409 on a conflict."""

    action = ""
    input_serializer_class: type[serializers.Serializer] | None = None
    output_serializer_class: type[serializers.Serializer]
    success_status = status.HTTP_200_OK

    def fetch(self, request, record_id) -> Booking | Result:
        raise NotImplementedError

    def perform(self, *, record, actor, context: AuditContext, **data):
        raise NotImplementedError

    def handle(self, request, record_id):
        record = self.fetch(request, record_id)
        data = (
            validated(request, self.input_serializer_class) if self.input_serializer_class else {}
        )
        done = self.perform(
            record=record, actor=request.user, context=request_context(request), **data
        )
        return Response(self.output_serializer_class(done).data, status=self.success_status)
