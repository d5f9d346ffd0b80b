"""Refused pages leave a trace (audit.refusals): the browser pages' and the admin's 404s and
403s, whether the view raised ``Http404``/``PermissionDenied`` or answered with the status."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from audit.refusals import REFUSED_STATUSES, refusal_record


class RefusalAuditMiddleware:
    """After ``AuthenticationMiddleware``, so the user is known. The API's refusals are
    recorded by ``audit.refusals.api_exception_handler`` and not again here."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code in REFUSED_STATUSES:
            refusal_record(request)
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, Http404 | PermissionDenied):
            refusal_record(request)
        return None
