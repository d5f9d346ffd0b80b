"""Contracts' entry in the site navigation."""

from __future__ import annotations

from django.urls import reverse

from contracts import permissions
from core.navigation import NavItem
from directory.models import Role


def contracts_navigation(request) -> list[NavItem]:
    user = request.user
    if user.role in (Role.MANAGER, Role.ADMIN) and permissions.can_see_compliance(user):
        return [NavItem("Contracts", reverse("contracts:compliance"))]
    if permissions.can_use_obligations(user):
        return [NavItem("Contracts", reverse("contracts:obligations"))]
    return []
