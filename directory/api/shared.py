"""What the clinical apps' API views share: the audit of patient-identifiable reads, audited
lists, and the POST-an-action view shape."""

from __future__ import annotations

from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from audit.models import AuditAction
from audit.services import AuditContext
from audit.web import api_context
from core.api import validated
from directory.selectors import pseudonym_scope_for
from directory.services import patient_records_shown


def audit_read(request, records, *, action: str, object_type: str) -> None:
    """Audit the patient-identifiable records an API response serves
    (``directory.services.patient_records_shown``), as the API client."""
    patient_records_shown(
        user=request.user,
        context=api_context(request),
        records=records,
        action=action,
        object_type=object_type,
    )


class AuditedListMixin:
    """Audits each page as it is served (action "list"), and tells the serializer how to name
    the patients (``pseudonym_scope``: ``None`` identifiably)."""

    audit_object_type = ""

    def audit_page(self, page) -> None:
        audit_read(
            self.request, page or [], action=AuditAction.LIST, object_type=self.audit_object_type
        )

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        self.audit_page(page)
        return page

    def get_serializer_context(self):
        return {
            **super().get_serializer_context(),
            "pseudonym_scope": pseudonym_scope_for(self.request.user),
        }


class RecordActionApi(APIView):
    # A POST of one action on one record the caller may see: 404 without a relationship, 403
    # when they may see it but not do this (both from ``fetch``, the app's fetch-and-authorise
    # selector), 400 with field errors for bad input, 409 on a conflict (from the service).
    # A comment, not a docstring: the OpenAPI schema describes an operation by the first
    # docstring up its view's classes, and each app's action views describe their own.

    action = ""  # the slug the app's selector checks
    input_serializer_class: type[serializers.Serializer] | None = None  # None: no body read
    output_serializer_class: type[serializers.Serializer] | None = None
    success_status = status.HTTP_200_OK

    def fetch(self, request, **url_kwargs):
        """The record named by the URL, or 404/403."""
        raise NotImplementedError

    def perform(self, *, record, actor, context: AuditContext, **data):
        """Call the app's service with the validated input as keyword arguments."""
        raise NotImplementedError

    def response_status(self, result) -> int:
        return self.success_status

    def respond(self, request, record, result) -> Response:
        return Response(
            self.output_serializer_class(result).data, status=self.response_status(result)
        )

    def post(self, request, **url_kwargs):
        record = self.fetch(request, **url_kwargs)
        data = (
            validated(request, self.input_serializer_class) if self.input_serializer_class else {}
        )
        result = self.perform(
            record=record, actor=request.user, context=api_context(request), **data
        )
        return self.respond(request, record, result)
