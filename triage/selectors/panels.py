"""Review panels a user may see."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from directory.models import Role, User
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
