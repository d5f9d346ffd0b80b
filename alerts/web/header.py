"""The unread count in every page's header, and the inbox's navigation entry."""

from __future__ import annotations

from django.urls import reverse

from alerts.selectors import unread_alert_count
from core.navigation import NavItem

_MEMO = "_alerts_unread_count"


def unread_count_for_request(request) -> int:
    """The signed-in user's unread count, counted once per request however often it is shown."""
    if request is None or not request.user.is_authenticated:
        return 0
    if not hasattr(request, _MEMO):
        setattr(request, _MEMO, unread_alert_count(request.user))
    return getattr(request, _MEMO)


def alerts_navigation(request) -> list[NavItem]:
    """Every signed-in user has an inbox: their own alerts, and their team's."""
    return [NavItem("Alerts", reverse("alerts:inbox"))]
