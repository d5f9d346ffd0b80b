"""Triage reads. One selector decides which referrals a user may see; every list, page,
endpoint and export uses it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from interface.access import NOTHING, register_patient_rule
from interface.models import Organisation, Role, User
from triage import rules
from triage.models import (
    OPEN_Q,
    QUEUE_Q,
    AdviceDirection,
    AdviceRequest,
    AdviceStatus,
    BacklogSummary,
    HarmReview,
    PanelMembership,
    Referral,
    ReviewPanel,
    Status,
)
from triage.permissions import PROVIDER_ROLES

REFERRAL_RELATED = (
    "patient",
    "provider",
    "treatment_function",
    "referring_practice",
    "panel",
)


def _clinical_referral_q(user: User) -> Q:
    """Referrals a clinician has a legitimate relationship with (PRODUCT.md §1).

    The practice, registered-patient and panel relationships are one ``id IN (… UNION …)``
    of three index lookups, so PostgreSQL collects a practice's few thousand referrals and
    sorts them, rather than walking the whole national queue in order testing each row (a
    GP's queue page: 620 ms → 25 ms at 7.5 million referrals, docs/benchmarks.md)."""
    org = user.organisation_id
    related = (
        Referral.objects.filter(referring_practice_id=org)
        .values("id")
        .union(
            Referral.objects.filter(patient__registered_practice_id=org).values("id"),
            Referral.objects.filter(
                panel_id__in=PanelMembership.objects.filter(user=user).values("panel_id")
            ).values("id"),
        )
    )
    q = Q(pk__in=related)
    if user.role in PROVIDER_ROLES:
        q |= Q(provider_id=org)
    return q


def referral_access_filter(user: User) -> Q:
    """Identifiable access for clinicians; managers see their ICB's referrals pseudonymised."""
    if not user.is_authenticated or not user.is_active or user.organisation_id is None:
        return NOTHING
    if user.is_clinician:
        return _clinical_referral_q(user)
    if user.role == Role.MANAGER:
        # Subqueries rather than joins, so PostgreSQL can walk the queue index in order and
        # test each row against two small hashed sets.
        icb_members = Organisation.objects.filter(icb_id=user.organisation_id).values("id")
        return Q(provider_id__in=icb_members) | Q(referring_practice_id__in=icb_members)
    return NOTHING


def is_pseudonymised_for(user: User) -> bool:
    """Managers never see names, NHS numbers or dates of birth."""
    return not user.is_clinician


@register_patient_rule
def referral_patient_rule(user: User) -> Q:
    """Clinicians of an organisation the patient is referred to, and members of a panel a
    referral of theirs is assigned to."""
    referrals = Referral.objects.filter(patient_id=OuterRef("pk"))
    conditions = Q(panel_id__in=PanelMembership.objects.filter(user=user).values("panel_id"))
    if user.role in PROVIDER_ROLES:
        conditions |= Q(provider_id=user.organisation_id)
    return Q(Exists(referrals.filter(conditions)))


@register_patient_rule
def advice_patient_rule(user: User) -> Q:
    """The specialist service asked for Advice & Guidance about a patient."""
    if user.role not in PROVIDER_ROLES:
        return NOTHING
    return Q(
        Exists(
            AdviceRequest.objects.filter(
                patient_id=OuterRef("pk"),
                provider_id=user.organisation_id,
                direction=AdviceDirection.TO_SPECIALIST,
            )
        )
    )


def referrals_visible_to(user: User) -> QuerySet[Referral]:
    return Referral.objects.filter(referral_access_filter(user)).select_related(*REFERRAL_RELATED)


def referral_get_for_user(*, user: User, referral_uuid) -> Referral:
    """The referral, or 404: no existence leak to those without a relationship."""
    return get_object_or_404(referrals_visible_to(user), uuid=referral_uuid)


def queue_for_user(user: User) -> QuerySet[Referral]:
    """Open, non-deferred referrals the user may see, in no order yet (pagination orders).

    Joins only what a queue row shows, so the planner's work stays small on every page."""
    return (
        Referral.objects.filter(referral_access_filter(user), QUEUE_Q)
        .select_related("patient", "provider", "treatment_function")
        .defer("reason")
    )


QUEUE_ORDER = ["target_date", "urgency_rank", "clock_start", "id"]
QUEUE_KEY = [("target_date", date), ("urgency_rank", int), ("clock_start", date), ("id", int)]


def deferred_for_user(user: User) -> QuerySet[Referral]:
    """P5/P6: patients who chose to wait, shown apart from the queue, by contact date."""
    return referrals_visible_to(user).filter(OPEN_Q, deferred=True).order_by("contact_on", "id")


def referral_history(referral: Referral):
    return referral.events.select_related("actor").order_by("at", "id")


def referral_reviews(referral: Referral):
    return referral.reviews.select_related("reviewer", "panel").order_by("-created_at", "-id")


# Worklists (PRODUCT.md §2), mirroring the e-RS lists clinicians know.


def _today() -> date:
    return timezone.localdate()


def _provider_side(user: User) -> QuerySet[Referral]:
    """Referrals the user works as a provider clinician or panel member."""
    if not user.is_clinician:
        return Referral.objects.none()
    q = Q(panel_id__in=PanelMembership.objects.filter(user=user).values("panel_id"))
    if user.role in PROVIDER_ROLES:
        q |= Q(provider_id=user.organisation_id)
    return Referral.objects.filter(q).select_related(*REFERRAL_RELATED)


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
    panel_referrals = Referral.objects.filter(
        panel_id__in=PanelMembership.objects.filter(user=user).values("panel_id")
    )
    if user.role in PROVIDER_ROLES:
        from triage.backlog import backlog_totals

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
