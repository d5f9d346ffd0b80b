"""Review panels a user may see."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from directory.models import Role, User
from triage import permissions
from triage.models import ReviewPanel
from triage.permissions import PROVIDER_ROLES


def _panels_visible_q(user: User) -> Q:
    q = Q(memberships__user=user)
    if user.role in PROVIDER_ROLES:
        q |= Q(provider_id=user.organisation_id)
    if user.role == Role.MANAGER:
        q |= Q(provider__icb_id=user.organisation_id)
    return q


def panels_visible_to(user: User) -> QuerySet[ReviewPanel]:
    if not user.is_authenticated:
        return ReviewPanel.objects.none()
    return (
        ReviewPanel.objects.filter(_panels_visible_q(user))
        .distinct()
        .select_related("provider", "treatment_function")
        .prefetch_related("memberships__user__organisation")
    )


def panel_choices_for(user: User) -> list[tuple]:
    """``(uuid, name)`` of the panels the user may see, for a filter's picker: one query."""
    if not user.is_authenticated:
        return []
    return list(
        ReviewPanel.objects.filter(_panels_visible_q(user))
        .distinct()
        .order_by("name", "uuid")
        .values_list("uuid", "name")
    )


def panel_get_for_user(*, user: User, panel_uuid) -> ReviewPanel:
    """The panel, or 404 if the user may not see it."""
    return get_object_or_404(panels_visible_to(user), uuid=panel_uuid)


def panel_for_assignment(*, user: User, panel_uuid) -> ReviewPanel:
    """The panel referrals are to be assigned to: 404 unseen, 403 if the user may not assign."""
    panel = panel_get_for_user(user=user, panel_uuid=panel_uuid)
    if not permissions.can_assign_to_panel(user, panel):
        raise PermissionDenied("Only the provider's clinicians can assign referrals to its panels.")
    return panel
