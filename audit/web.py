"""The audit context of an HTTP request. Each caller names its client: the browser views, the
API and the admin pass their own, so nothing is guessed from the URL. Services and selectors
never see the request, only the context built here."""

from __future__ import annotations

from audit.models import AuditClient
from audit.services import AuditContext


def request_context(request, *, client: str) -> AuditContext:
    return AuditContext(
        client=client,
        ip_address=request.META.get("REMOTE_ADDR") or None,
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
    )


def browser_context(request) -> AuditContext:
    return request_context(request, client=AuditClient.BROWSER)


def api_context(request) -> AuditContext:
    return request_context(request, client=AuditClient.API)


def admin_context(request) -> AuditContext:
    return request_context(request, client=AuditClient.ADMIN)
