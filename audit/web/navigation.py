"""The audit trail's entry in the site navigation: privacy officers only."""

from __future__ import annotations

from django.urls import reverse

from audit.permissions import can_search_audit
from core.navigation import NavItem


def audit_navigation(request) -> list[NavItem]:
    if not can_search_audit(request.user):
        return []
    return [NavItem("Audit trail", reverse("audit-events"))]
