"""Backlog counts from the summary table (rebuilt by every queue recomputation)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Min, QuerySet, Sum

from directory.models import Role, User
from triage.models import BacklogSummary
from triage.permissions import PROVIDER_ROLES

COUNT_FIELDS = (
    "open_referrals",
    "deferred",
    "unreviewed",
    "breached",
    "waits_52_plus",
    "waits_78_plus",
    "waits_104_plus",
    "band_0_18",
    "band_18_52",
    "band_52_78",
    "band_78_104",
    "band_104_plus",
    "for_review",
    "awaiting_booking",
    "dna_rebook",
    "harm_review_due",
    "needs_action",
)


def backlog_summaries_visible_to(user: User) -> QuerySet[BacklogSummary]:
    """Managers: their ICB's providers. Provider clinicians: their own organisation."""
    if not user.is_authenticated or user.organisation_id is None:
        return BacklogSummary.objects.none()
    if user.role == Role.MANAGER:
        return BacklogSummary.objects.filter(provider__icb_id=user.organisation_id)
    if user.role in PROVIDER_ROLES:
        return BacklogSummary.objects.filter(provider_id=user.organisation_id)
    return BacklogSummary.objects.none()


def _services(
    summaries: QuerySet[BacklogSummary], *, provider_ods: str, treatment_function: str
) -> QuerySet[BacklogSummary]:
    if provider_ods:
        summaries = summaries.filter(provider__ods_code=provider_ods.strip().upper())
    if treatment_function:
        summaries = summaries.filter(treatment_function_id=treatment_function.strip())
    return summaries


def backlog_totals(
    summaries: QuerySet[BacklogSummary], *, provider_ods: str = "", treatment_function: str = ""
) -> dict[str, int]:
    summaries = _services(
        summaries, provider_ods=provider_ods, treatment_function=treatment_function
    )
    totals = summaries.aggregate(**{name: Sum(name) for name in COUNT_FIELDS})
    return {name: totals[name] or 0 for name in COUNT_FIELDS}


@dataclass(frozen=True)
class BacklogHeadline:
    """The totals of the services a user may see, and when they were counted."""

    totals: dict[str, int]
    computed_at: datetime | None
    services: int

    @property
    def queue_total(self) -> int:
        """Open referrals in queue order: the deferred (P5, P6) are on a list of their own."""
        return self.totals["open_referrals"] - self.totals["deferred"]


def backlog_headline(
    user: User, *, provider_ods: str = "", treatment_function: str = ""
) -> BacklogHeadline:
    """The summary rows' totals, never a COUNT over the queue. ``computed_at`` is the oldest
    recomputation among the services shown: the total is only as current as its stalest part."""
    summaries = _services(
        backlog_summaries_visible_to(user),
        provider_ods=provider_ods,
        treatment_function=treatment_function,
    )
    aggregates = summaries.aggregate(
        computed_at=Min("computed_at"),
        services=Count("id"),
        **{name: Sum(name) for name in COUNT_FIELDS},
    )
    return BacklogHeadline(
        totals={name: aggregates[name] or 0 for name in COUNT_FIELDS},
        computed_at=aggregates["computed_at"],
        services=aggregates["services"],
    )
