"""Refused requests leave a trace: a signed-in user answered 404 (a record they may not see, or
none) or 403 (one they may see but not act on) gets an audit event with action "refused",
object_type the route's name, object_id the id asked for, and no patient
(docs/product.md §1; the event names no patient, so the 404 still leaks nothing).

Two hooks write it, once per request: :class:`audit.middleware.RefusalAuditMiddleware` for
pages and the admin, and :func:`api_exception_handler` for the API, where Django REST framework
turns the exception into a response inside the view. Anonymous requests are not recorded: they
are sent to sign in (or answered 401), and name nobody to audit.
"""

from __future__ import annotations

import re
from uuid import UUID

from rest_framework.exceptions import APIException
from rest_framework.views import APIView

from audit.context import request_context
from audit.models import AuditAction, AuditClient
from audit.services import audit_record
from core.api import exception_handler as core_exception_handler

REFUSED_STATUSES = frozenset({403, 404})
_UUID_RE = re.compile(r"^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$", re.I)
# Set on the HttpRequest once its refusal is recorded, so the other hook does not record it again.
_RECORDED = "_audit_refusal_recorded"


def _object_id(kwargs: dict) -> str:
    """The first UUID among the route's arguments (every record's id in a URL is one), else ''."""
    for value in kwargs.values():
        if isinstance(value, UUID):
            return str(value)
        if isinstance(value, str) and _UUID_RE.match(value):
            return value
    return ""


def _client(request, match) -> str:
    if "admin" in match.namespaces:
        return AuditClient.ADMIN
    view_class = getattr(match.func, "cls", None) or getattr(match.func, "view_class", None)
    if isinstance(view_class, type) and issubclass(view_class, APIView):
        return AuditClient.API
    return AuditClient.BROWSER


def refusal_record(request, *, client: str | None = None) -> None:
    """Record that ``request`` was refused, unless it was anonymous, matched no route, or is
    recorded already. ``request`` is Django's, or REST framework's wrapping it."""
    http_request = getattr(request, "_request", request)
    if getattr(http_request, _RECORDED, False):
        return
    try:
        user = getattr(request, "user", None)
    except APIException:
        # REST framework authenticates on first access; a failure here is an anonymous caller.
        return
    match = getattr(http_request, "resolver_match", None)
    if user is None or not user.is_authenticated or match is None:
        return
    setattr(http_request, _RECORDED, True)
    audit_record(
        actor=user,
        context=request_context(http_request, client=client or _client(http_request, match)),
        action=AuditAction.REFUSED,
        object_type=(match.url_name or match.route or "")[:64],
        patient_ids=[None],
        object_ids=[_object_id(match.kwargs)[:64]],
    )


def api_exception_handler(exc, context):
    """REST framework's ``EXCEPTION_HANDLER``: ``core.api.exception_handler``'s response, and a
    refused event when that response is 403 or 404 (core sits below the audit app, so the hook
    wraps it here)."""
    response = core_exception_handler(exc, context)
    request = context.get("request")
    if response is not None and response.status_code in REFUSED_STATUSES and request is not None:
        refusal_record(request, client=AuditClient.API)
    return response
