"""Project-wide API conventions: one pagination class, the permission and input checks every
view makes, and the error shape (the JSON parser is in ``core.parsers``)."""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import pagination
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import ApplicationError
from core.keyset import invalid_cursor
from core.text import control_character_problem


class CursorPagination(pagination.CursorPagination):
    """Keyset pagination (``next``, ``previous``, ``results``): as fast on the last page as the first.

    A cursor that is not one of ours is a 400 naming ``cursor`` (as the keyset cursors of
    ``core.keyset`` are), checked before it reaches a query.
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = "-id"

    def paginate_queryset(self, queryset, request, view=None):
        self.model = queryset.model
        return super().paginate_queryset(queryset, request, view)

    def decode_cursor(self, request):
        try:
            cursor = super().decode_cursor(request)
        except NotFound as exc:
            raise invalid_cursor() from exc
        if cursor is not None and cursor.position is not None:
            self._check_position(cursor.position)
        return cursor

    def _check_position(self, position: str) -> None:
        if control_character_problem(position):
            raise invalid_cursor()
        name = self.ordering[0].lstrip("-")
        try:
            field = self.model._meta.get_field(name)
        except FieldDoesNotExist:
            return
        try:
            field.run_validators(field.to_python(position))
        except (DjangoValidationError, OverflowError, ValueError, TypeError) as exc:
            raise invalid_cursor() from exc


def require(allowed: bool, message: str = "You cannot do this.") -> None:
    """403 with ``message`` unless ``allowed``."""
    if not allowed:
        raise PermissionDenied(message)


def validated(request, serializer_class) -> dict:
    """The request body parsed by an input serializer, or 400 with its field errors."""
    serializer = serializer_class(data=request.data, context={"request": request})
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def exception_handler(exc, context):
    """Domain errors become DRF-shaped bodies: 400 with field errors, or 409 for a lost race."""
    if isinstance(exc, ApplicationError):
        return Response(exc.as_dict(), status=exc.status)
    if isinstance(exc, DjangoValidationError):
        body = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        return Response(body, status=400)
    return drf_exception_handler(exc, context)


class CsvRenderer(BaseRenderer):
    """Lets ``?format=csv`` (or ``Accept: text/csv``) through content negotiation. The view
    writes or streams the CSV itself; only an error answer is rendered here, as JSON."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return JSONRenderer().render(data)


class FhirJsonRenderer(JSONRenderer):
    """FHIR resources as ``application/fhir+json`` (``?format=fhir``)."""

    media_type = "application/fhir+json"
    format = "fhir"
