"""The dashboards' entry in the site navigation: ICB managers and administrators."""

from __future__ import annotations

from django.urls import reverse

from core.navigation import NavItem
from dashboards.permissions import can_view_dashboards


def dashboards_navigation(request) -> list[NavItem]:
    if not can_view_dashboards(request.user):
        return []
    return [NavItem("Dashboard", reverse("dashboards:overview"))]
