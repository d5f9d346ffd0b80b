"""Triage's entries in the site navigation, with the worklist badge."""

from __future__ import annotations

from django.urls import reverse

from core.navigation import NavItem
from triage import permissions
from triage.selectors.worklists import worklist_badge_count, worklists_for


def triage_navigation(request) -> list[NavItem]:
    user = request.user
    if not (user.is_clinician or user.is_manager):
        return []
    items = [NavItem("Queue", reverse("triage:queue"))]
    # Only lists that apply to the role: a GP with no panel seat has just the questions put to
    # their practice, never a provider's lists that would read 0 for ever.
    if user.is_clinician and worklists_for(user):
        items.append(NavItem("Worklists", reverse("triage:worklists"), worklist_badge_count(user)))
    items.append(NavItem("Panels", reverse("triage:panels")))
    # GPs ask for Advice & Guidance; the specialists of a provider answer it.
    if user.is_clinician and (
        permissions.can_refer(user) or user.role in permissions.PROVIDER_ROLES
    ):
        items.append(NavItem("Advice & Guidance", reverse("triage:advice-list")))
    return items
