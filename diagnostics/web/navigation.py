"""Diagnostics' entries in the site navigation: for clinicians who book, their tests and the
results they must act on (with the count); for a hub's staff, the day's list and capacity."""

from __future__ import annotations

from django.urls import reverse

from core.navigation import NavItem
from diagnostics import permissions, selectors


def diagnostics_navigation(request) -> list[NavItem]:
    user = request.user
    if permissions.can_book(user):
        return [
            NavItem("Tests", reverse("diagnostics:home")),
            NavItem(
                "Results",
                reverse("diagnostics:results"),
                selectors.results_worklist_count(user),
            ),
        ]
    if permissions.is_hub_staff(user, user.organisation_id):
        return [
            NavItem("Hub bookings", reverse("diagnostics:home")),
            NavItem("Capacity", reverse("diagnostics:capacity")),
        ]
    return []
