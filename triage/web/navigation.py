"""Triage's entries in the site navigation, with worklist counts."""

from __future__ import annotations

from django.urls import reverse

from core.navigation import NavItem
from triage import permissions, selectors


def triage_navigation(request) -> list[NavItem]:
    user = request.user
    if not (user.is_clinician or user.is_manager):
        return []
    items = [NavItem("Queue", reverse("triage:queue"))]
    if user.is_clinician:
        counts = selectors.worklist_counts(user)
        items.append(NavItem("Worklists", reverse("triage:worklists"), sum(counts.values())))
    items.append(NavItem("Panels", reverse("triage:panels")))
    if user.is_clinician and permissions.can_refer(user):
        items.append(NavItem("Advice & Guidance", reverse("triage:advice-list")))
    return items
