"""The audit context of an HTTP request. Each caller names its client: the browser views, the
API and the admin pass their own, so nothing is guessed from the URL. Services and selectors
never see the request, only the context built here.

Imported as ``audit.web`` by other apps' pages, API and admin; it lives in a module of its own
so that the audit app's own admin, web and refusal hooks (layers that may not import each
other) share it."""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings

from audit.models import AuditClient
from audit.services import AuditContext

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@lru_cache(maxsize=8)
def _trusted_networks(proxies: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _address(text: str) -> Address | None:
    """An address from REMOTE_ADDR or one X-Forwarded-For entry (a port, as some proxies
    append, is dropped); None if it is not an address."""
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [2001:db8::1]:443
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # 192.0.2.1:443
        text = text.split(":", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def client_address(request) -> str | None:
    """The address the audit trail records: REMOTE_ADDR, unless that is one of
    ``TRUSTED_PROXIES``; then the right-most X-Forwarded-For entry that is not a trusted proxy
    (each proxy appends the address it was connected from, so entries further left are the
    client's own word and could be forged). If every entry is a proxy, the left-most."""
    remote = _address(request.META.get("REMOTE_ADDR") or "")
    trusted = _trusted_networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))
    if remote is None or not any(remote in network for network in trusted):
        return str(remote) if remote is not None else None
    entries = [e for e in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if e.strip()]
    chain = [_address(entry) for entry in entries]
    for address in reversed(chain):
        if address is None:
            # A malformed entry where a proxy's appended address should be: no client is known.
            return None
        if not any(address in network for network in trusted):
            return str(address)
    return str(chain[0]) if chain else str(remote)


def request_context(request, *, client: str) -> AuditContext:
    return AuditContext(
        client=client,
        ip_address=client_address(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
    )


def browser_context(request) -> AuditContext:
    return request_context(request, client=AuditClient.BROWSER)


def api_context(request) -> AuditContext:
    return request_context(request, client=AuditClient.API)


def admin_context(request) -> AuditContext:
    return request_context(request, client=AuditClient.ADMIN)
