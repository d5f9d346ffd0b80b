"""Backlog counts from the summary table (rebuilt by every queue recomputation)."""

from __future__ import annotations

from django.db.models import QuerySet, Sum

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


def backlog_totals(
    summaries: QuerySet[BacklogSummary], *, provider_ods: str = "", treatment_function: str = ""
) -> dict[str, int]:
    if provider_ods:
        summaries = summaries.filter(provider__ods_code=provider_ods.strip().upper())
    if treatment_function:
        summaries = summaries.filter(treatment_function_id=treatment_function)
    totals = summaries.aggregate(**{name: Sum(name) for name in COUNT_FIELDS})
    return {name: totals[name] or 0 for name in COUNT_FIELDS}
