"""Review panels a user may see."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from directory.models import Role, User
from triage import permissions
from triage.models import MembershipStatus, PanelMembership, ReviewPanel
from triage.permissions import PROVIDER_ROLES
from triage.selectors.access import panel_ids_of


def _panels_visible_q(user: User) -> Q:
    # Accepted seats only: an invitation shows the panel's name and service, not the panel.
    q = Q(pk__in=panel_ids_of(user))
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


def panel_invitations_for(user: User) -> QuerySet[PanelMembership]:
    """Seats on panels offered to ``user`` and not yet answered, newest first."""
    if not user.is_authenticated:
        return PanelMembership.objects.none()
    return (
        PanelMembership.objects.filter(user=user, status=MembershipStatus.PENDING)
        .select_related("panel__provider", "panel__treatment_function")
        .order_by("-joined_at", "-id")
    )


def panel_membership_for_response(*, user: User, panel_uuid) -> PanelMembership:
    """The user's own seat on the panel, to accept or decline: 404 for a panel they were never
    invited to, so a panel's existence does not leak."""
    if not user.is_authenticated:
        raise Http404("No invitation.")
    return get_object_or_404(
        PanelMembership.objects.select_related("panel__provider", "panel__treatment_function"),
        user=user,
        panel__uuid=panel_uuid,
    )
