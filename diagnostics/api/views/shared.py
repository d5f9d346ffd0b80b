"""What the diagnostics API views share beyond ``core.api`` and ``directory.api.shared``: the
audit of a booking or a result served, which names the patient through the booking, and the
views of one booking or result: reading it and POSTing an action on it."""

from __future__ import annotations

from collections.abc import Callable

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from audit.models import AuditAction
from diagnostics.api import serializers as s
from diagnostics.models import Booking
from directory.api import shared

TAGS = ["diagnostics"]
CONFLICT = {409: s.DiagnosticsConflictOutputSerializer}


def _patient_id(record) -> int:
    return record.patient_id if isinstance(record, Booking) else record.booking.patient_id


def audit_read(request, records, *, action: str) -> None:
    """One audit event per booking or result served, naming its patient (managers and
    administrators are never served either)."""
    records = list(records)
    if not records:
        return
    object_type = "diagnostic_booking" if isinstance(records[0], Booking) else "diagnostic_result"
    shared.audit_read(
        request,
        [{"patient_id": _patient_id(r), "uuid": r.uuid} for r in records],
        action=action,
        object_type=object_type,
    )


class AuditedListMixin(shared.AuditedListMixin):
    """Audits each page of bookings or results as it is served (action "list")."""

    def audit_page(self, page) -> None:
        audit_read(self.request, page or [], action=AuditAction.LIST)


def action_schema(summary: str):
    """Describe an action view in the OpenAPI schema by what it reads and answers (its input
    and output serializers and success status), so that the two cannot drift apart."""

    def describe(view: type[RecordActionApi]) -> type[RecordActionApi]:
        responses = {view.success_status: view.output_serializer_class, **CONFLICT}
        return extend_schema(
            tags=TAGS, summary=summary, request=view.input_serializer_class, responses=responses
        )(view)

    return describe


class RecordDetailApi(APIView):
    # GET one booking or result (``record_for``, the app's selector, answers 404 without a
    # relationship with the patient), audited as a view. A comment, not a docstring: the OpenAPI
    # schema describes an operation by the first docstring up its view's classes.

    record_for: Callable  # (user, the URL's id, action): the record
    output_serializer_class: type

    def get(self, request, **url_kwargs):
        record = self.record_for(request.user, *url_kwargs.values(), "view")
        audit_read(request, [record], action=AuditAction.VIEW)
        return Response(self.output_serializer_class(record).data)


class RecordActionApi(shared.RecordActionApi):
    """A POST on one booking or result the caller may see: 404 without a relationship, 403 when
    the caller may see it but not do this, 400 with field errors, 409 on a conflict."""

    record_for: Callable  # (user, the URL's id, action): the record
    record_name = ""  # the services' keyword for the record
    service: Callable  # the action's service, given the validated input

    def fetch(self, request, **url_kwargs):
        return self.record_for(request.user, *url_kwargs.values(), self.action)

    def perform(self, *, record, actor, context, **data):
        return self.service(actor=actor, context=context, **{self.record_name: record}, **data)
