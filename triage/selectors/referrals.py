"""Referral reads: the referrals a user may see, their queue, history and reviews."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from core.keyset import keyset_arms_queryset
from directory.models import User
from triage import permissions
from triage.models import OPEN_Q, QUEUE_Q, Referral
from triage.selectors.access import queue_arms, referral_access_filter

REFERRAL_RELATED = (
    "patient",
    "provider",
    "treatment_function",
    "referring_practice",
    "panel",
)


def referrals_visible_to(user: User) -> QuerySet[Referral]:
    return Referral.objects.filter(referral_access_filter(user)).select_related(*REFERRAL_RELATED)


def referral_get_for_user(*, user: User, referral_uuid) -> Referral:
    """The referral, or 404: no existence leak to those without a relationship."""
    return get_object_or_404(referrals_visible_to(user), uuid=referral_uuid)


def referral_for_action(*, user: User, referral_uuid, action: str) -> Referral:
    """The referral ``action`` is to be done to: 404 if the user may not see it, 403 if they may
    see it but not do this (``triage.permissions.REFERRAL_ACTIONS``)."""
    referral = referral_get_for_user(user=user, referral_uuid=referral_uuid)
    if not permissions.may_act_on_referral(user, referral, action):
        raise PermissionDenied("You cannot do this to this referral.")
    return referral


def queue_for_user(user: User) -> QuerySet[Referral]:
    """Open, non-deferred referrals the user may see, in no order yet (pagination orders).

    A clinician's queue is the OR of their relationships, carried as arms: a page is each
    arm's first rows in queue order (an index walk each, the cursor and filters inside),
    merged, and only the page's ids are joined to patient and organisation
    (``core.keyset``; docs/triage.md, "The queue's arms"). A manager's is one walk of the
    queue index. Joins only what a queue row shows."""
    arms = queue_arms(user)
    if arms is None:
        queryset = Referral.objects.filter(referral_access_filter(user), QUEUE_Q)
    else:
        queryset = keyset_arms_queryset(Referral.objects.filter(QUEUE_Q), arms)
    return queryset.select_related("patient", "provider", "treatment_function").defer("reason")


QUEUE_ORDER = ["target_date", "urgency_rank", "clock_start", "id"]
QUEUE_KEY = [("target_date", date), ("urgency_rank", int), ("clock_start", date), ("id", int)]


def deferred_for_user(user: User) -> QuerySet[Referral]:
    """P5/P6: patients who chose to wait, shown apart from the queue, by contact date."""
    return referrals_visible_to(user).filter(OPEN_Q, deferred=True).order_by("contact_on", "id")


def referral_history(referral: Referral):
    return referral.events.select_related("actor").order_by("at", "id")


def referral_reviews(referral: Referral):
    return referral.reviews.select_related("reviewer", "panel").order_by("-created_at", "-id")
