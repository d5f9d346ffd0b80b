"""What a GP's home page shows: small indexed reads of their own practice's referrals.

Providers' and managers' home figures come from the backlog summary
(``triage.selectors.backlog`` and ``worklists``); a practice's referrals are a few thousand at
most, read through the practice index (``referral_practice_idx``).
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone

from directory.models import Role, User
from triage.models import QUEUE_Q, Referral, Status
from triage.selectors.referrals import referrals_visible_to

RETURNED_WINDOW_DAYS = 30
LONGEST_WAITS_SHOWN = 5


def _practice_referrals(user: User) -> QuerySet[Referral]:
    if user.role != Role.GP or user.organisation_id is None:
        return Referral.objects.none()
    return referrals_visible_to(user).filter(referring_practice_id=user.organisation_id)


def referrals_returned_to_practice(user: User) -> QuerySet[Referral]:
    """Referrals returned to the user's practice in the last 30 days, latest first. A returned
    referral is closed, so nothing changes it after the return: its ``updated_at`` is when it
    was returned."""
    since = timezone.now() - timedelta(days=RETURNED_WINDOW_DAYS)
    return (
        _practice_referrals(user)
        .filter(status=Status.RETURNED_TO_REFERRER, updated_at__gte=since)
        .order_by("-updated_at", "-id")
    )


def practice_longest_waits(user: User) -> list[Referral]:
    """The practice's open referrals in the queue that have waited longest (earliest clock
    start first), for the GP's home page."""
    return list(
        _practice_referrals(user)
        .filter(QUEUE_Q)
        .order_by("clock_start", "id")[:LONGEST_WAITS_SHOWN]
    )
