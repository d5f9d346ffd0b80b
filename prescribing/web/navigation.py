"""Prescribing's entries in the site navigation: "Prescribing" for prescribers (with the GP's
proposals to answer as its badge), "Budgets" for managers and administrators."""

from __future__ import annotations

from django.urls import reverse

from core.navigation import NavItem
from directory.models import Role
from prescribing import permissions
from prescribing.selectors import agreements_awaiting_gp


def prescribing_navigation(request) -> list[NavItem]:
    user = request.user
    if permissions.can_prescribe(user):
        count = agreements_awaiting_gp(user).count() if user.role == Role.GP else None
        return [NavItem("Prescribing", reverse("prescribing:prescriptions"), count or None)]
    if permissions.can_set_up_budgets(user):
        return [NavItem("Budgets", reverse("prescribing:budgets"))]
    return []
