"""Worklists (docs/product.md §2), mirroring the e-RS lists clinicians know."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from directory.models import Role, User
from triage import rules
from triage.models import (
    QUEUE_Q,
    BacklogSummary,
    HarmReview,
    MembershipStatus,
    PanelMembership,
    Referral,
    Status,
)
from triage.permissions import PROVIDER_ROLES
from triage.selectors.access import panel_ids_of, provider_side_q
from triage.selectors.advice import advice_awaiting_reply
from triage.selectors.backlog import backlog_totals
from triage.selectors.referrals import REFERRAL_RELATED


def _today() -> date:
    return timezone.localdate()


def _provider_side(user: User) -> QuerySet[Referral]:
    """Referrals the user works as a provider clinician or panel member."""
    if not user.is_clinician:
        return Referral.objects.none()
    return Referral.objects.filter(provider_side_q(user)).select_related(*REFERRAL_RELATED)


def worklist_for_review(user: User) -> QuerySet[Referral]:
    return _provider_side(user).filter(
        status__in=(Status.AWAITING_REVIEW, Status.UNDER_REVIEW), deferred=False
    )


def worklist_awaiting_booking(user: User) -> QuerySet[Referral]:
    if user.role not in PROVIDER_ROLES:
        return Referral.objects.none()
    return _provider_side(user).filter(
        status=Status.ACCEPTED, awaiting_rebook=False, deferred=False
    )


def worklist_dna_rebook(user: User) -> QuerySet[Referral]:
    if user.role not in PROVIDER_ROLES:
        return Referral.objects.none()
    return _provider_side(user).filter(status=Status.ACCEPTED, awaiting_rebook=True)


def harm_review_due_q(today: date) -> Q:
    """Waits of 52 weeks or more, or past the category's target, with no harm review lately."""
    recent = HarmReview.objects.filter(
        referral_id=OuterRef("pk"),
        created_at__date__gt=today - timedelta(days=settings.TRIAGE_HARM_REVIEW_INTERVAL_DAYS),
    )
    return (
        QUEUE_Q
        & (Q(clock_start__lte=rules.long_wait_cutoff(today)) | Q(target_date__lt=today))
        & ~Q(Exists(recent))
    )


def worklist_harm_reviews_due(user: User) -> QuerySet[Referral]:
    return _provider_side(user).filter(harm_review_due_q(_today()))


@dataclass(frozen=True)
class Worklist:
    slug: str
    title: str
    description: str


WORKLISTS = (
    Worklist("for-review", "For review", "Referrals waiting for clinical review"),
    Worklist("advice", "Advice awaiting reply", "Questions your organisation has been asked"),
    Worklist("awaiting-booking", "Accepted, awaiting booking", "Accepted referrals to book"),
    Worklist("dna-rebook", "DNAs to rebook", "Patients who did not attend: the provider rebooks"),
    Worklist("harm-reviews", "Harm reviews due", "Waits of 52 weeks or more, or past target"),
)


# The lists of a provider's own services: a GP, or diagnostics staff, has none of them, only
# what a panel seat brings (for review, harm reviews) and the questions put to their practice.
PROVIDER_ONLY = frozenset({"awaiting-booking", "dna-rebook"})
PANEL_LISTS = frozenset({"for-review", "harm-reviews"})


def worklists_for(user: User) -> tuple[Worklist, ...]:
    """The worklists that apply to the user's role, so no list reads 0 for ever."""
    if not user.is_clinician:
        return ()
    if user.role in PROVIDER_ROLES:
        return WORKLISTS
    on_panels = PanelMembership.objects.filter(user=user, status=MembershipStatus.ACCEPTED).exists()
    return tuple(
        w
        for w in WORKLISTS
        if (w.slug == "advice" and user.role == Role.GP) or (on_panels and w.slug in PANEL_LISTS)
    )


def worklist_queryset(user: User, slug: str):
    return {
        "for-review": worklist_for_review,
        "advice": advice_awaiting_reply,
        "awaiting-booking": worklist_awaiting_booking,
        "dna-rebook": worklist_dna_rebook,
        "harm-reviews": worklist_harm_reviews_due,
    }[slug](user)


def worklist_counts(user: User) -> dict[str, int]:
    """Counts for the navigation, cheap on every page however large the provider.

    A provider's own services are read from the backlog summary (as of the last
    recomputation, which follows every change to that service); referrals on the user's panels
    at other providers, and advice requests, are few and counted live.
    """
    counts = dict.fromkeys((w.slug for w in WORKLISTS), 0)
    if not user.is_clinician:
        return counts
    counts["advice"] = advice_awaiting_reply(user).count()
    panel_referrals = Referral.objects.filter(panel_id__in=panel_ids_of(user))
    if user.role in PROVIDER_ROLES:
        own = backlog_totals(BacklogSummary.objects.filter(provider_id=user.organisation_id))
        counts["for-review"] = own["for_review"]
        counts["awaiting-booking"] = own["awaiting_booking"]
        counts["dna-rebook"] = own["dna_rebook"]
        counts["harm-reviews"] = own["harm_review_due"]
        panel_referrals = panel_referrals.exclude(provider_id=user.organisation_id)
    counts["for-review"] += panel_referrals.filter(
        status__in=(Status.AWAITING_REVIEW, Status.UNDER_REVIEW), deferred=False
    ).count()
    counts["harm-reviews"] += panel_referrals.filter(harm_review_due_q(_today())).count()
    return counts


def worklist_badge_count(user: User) -> int:
    """What the navigation badge says: referrals on at least one worklist, each once (a
    breached referral awaiting review is on two lists), plus advice requests awaiting a reply,
    which are not referrals. The provider's own services are read from the summary's distinct
    ``needs_action``; referrals on the user's panels elsewhere, and advice, are few and counted
    live."""
    if not user.is_clinician:
        return 0
    total = advice_awaiting_reply(user).count()
    panel_referrals = Referral.objects.filter(panel_id__in=panel_ids_of(user))
    if user.role in PROVIDER_ROLES:
        own = backlog_totals(BacklogSummary.objects.filter(provider_id=user.organisation_id))
        total += own["needs_action"]
        panel_referrals = panel_referrals.exclude(provider_id=user.organisation_id)
    for_review = Q(status__in=(Status.AWAITING_REVIEW, Status.UNDER_REVIEW), deferred=False)
    return total + panel_referrals.filter(for_review | harm_review_due_q(_today())).count()
