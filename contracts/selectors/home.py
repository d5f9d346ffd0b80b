"""Small indexed counts for the home page's contract cards."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from contracts.models import Obligation
from contracts.selectors.access import obligation_access_filter
from directory.models import User


def overdue_count_for(user: User) -> int:
    """Obligations the user may see that are past due and unfulfilled now: for a provider,
    its own (the provider's unmet index); for a GP, their patients'; for a manager, their
    ICB's providers'."""
    return (
        Obligation.objects.filter(
            obligation_access_filter(user), fulfilled_at__isnull=True, due_at__lt=timezone.now()
        )
        .order_by()
        .count()
    )


def due_soon_count_for(user: User, *, hours: int = 24) -> int:
    """Unfulfilled obligations the user may see falling due within ``hours``."""
    now = timezone.now()
    return (
        Obligation.objects.filter(
            obligation_access_filter(user),
            fulfilled_at__isnull=True,
            due_at__gte=now,
            due_at__lt=now + timedelta(hours=hours),
        )
        .order_by()
        .count()
    )
