"""Advice requests a user may see, and those awaiting their reply."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from directory.models import Role, User
from triage.models import AdviceDirection, AdviceRequest, AdviceStatus
from triage.permissions import PROVIDER_ROLES


def advice_awaiting_reply(user: User) -> QuerySet[AdviceRequest]:
    """Advice requests the user's organisation is asked to answer."""
    base = AdviceRequest.objects.filter(status=AdviceStatus.AWAITING_REPLY).select_related(
        "patient", "referral", "provider", "practice", "treatment_function", "asked_by"
    )
    if user.role == Role.GP:
        return base.filter(direction=AdviceDirection.TO_GP, practice_id=user.organisation_id)
    if user.role in PROVIDER_ROLES:
        return base.filter(
            direction=AdviceDirection.TO_SPECIALIST, provider_id=user.organisation_id
        )
    return AdviceRequest.objects.none()


def advice_visible_to(user: User) -> QuerySet[AdviceRequest]:
    if not user.is_clinician:
        return AdviceRequest.objects.none()
    q = Q(practice_id=user.organisation_id)
    if user.role in PROVIDER_ROLES:
        q |= Q(provider_id=user.organisation_id)
    return AdviceRequest.objects.filter(q).select_related(
        "patient",
        "referral",
        "provider",
        "practice",
        "treatment_function",
        "asked_by",
        "answered_by",
    )


def advice_get_for_user(*, user: User, advice_uuid) -> AdviceRequest:
    return get_object_or_404(advice_visible_to(user), uuid=advice_uuid)
