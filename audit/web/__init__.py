"""The audit app's pages, and the audit context of a request for every app's pages, API and
admin (built in ``audit.context``)."""

from audit.context import (
    admin_context,
    api_context,
    browser_context,
    client_address,
    request_context,
)

__all__ = ["admin_context", "api_context", "browser_context", "client_address", "request_context"]
