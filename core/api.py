"""Project-wide API conventions: one pagination class and the error shape."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import pagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import ApplicationError


class CursorPagination(pagination.CursorPagination):
    """Keyset pagination (``next``, ``previous``, ``results``): as fast on the last page as the first."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = "-id"


def exception_handler(exc, context):
    """Domain errors become DRF-shaped bodies: 400 with field errors, or 409 for a lost race."""
    if isinstance(exc, ApplicationError):
        return Response(exc.as_dict(), status=exc.status)
    if isinstance(exc, DjangoValidationError):
        body = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        return Response(body, status=400)
    return drf_exception_handler(exc, context)
