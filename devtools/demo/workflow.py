"""Work in progress on the seeded referrals: advice requests awaiting the GP's reply, a few
recorded harm reviews of long waits, and the demo panels' seats taken up."""

from __future__ import annotations

import random
from datetime import timedelta

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from directory.models import Organisation, User
from triage.models import (
    DEFERRED_CATEGORIES,
    AdviceDirection,
    AdviceRequest,
    HarmOutcome,
    HarmReview,
    MembershipStatus,
    Outcome,
    PanelMembership,
    Referral,
    Review,
    ReviewPanel,
    Status,
)
from triage.services.panels import panel_membership_accept

QUESTIONS = (
    "Has the patient had a plain X-ray in the last year? Please attach the report.",
    "Could you confirm current medication and any anticoagulation?",
    "Has a trial of conservative management been completed? For how long?",
    "Please send the most recent blood results (FBC, U&E, HbA1c).",
)


def demo_advice_requests(*, first_referral_id: int) -> int:
    """An advice request awaiting the GP's reply for each referral in ``advice_requested``,
    asked by the clinician whose review asked it, when they reviewed."""
    rng = random.Random(7)
    made = 0
    pending = (
        Review.objects.filter(
            referral_id__gte=first_referral_id,
            referral__status=Status.ADVICE_REQUESTED,
            outcome=Outcome.REQUEST_ADVICE,
        )
        .order_by("referral_id")
        .values_list(
            "referral_id",
            "referral__patient_id",
            "referral__referring_practice_id",
            "referral__provider_id",
            "referral__treatment_function_id",
            "reviewer_id",
        )
    )
    batch: list[AdviceRequest] = []
    for referral_id, patient_id, practice_id, provider_id, function, asker in pending.iterator(
        5_000
    ):
        batch.append(
            AdviceRequest(
                direction=AdviceDirection.TO_GP,
                referral_id=referral_id,
                patient_id=patient_id,
                practice_id=practice_id,
                provider_id=provider_id,
                treatment_function_id=function,
                question=rng.choice(QUESTIONS),
                asked_by_id=asker,
            )
        )
        if len(batch) >= 5_000:
            AdviceRequest.objects.bulk_create(batch)
            made += len(batch)
            batch = []
    AdviceRequest.objects.bulk_create(batch)
    # Asked when the review asked it (bulk_create stamps auto_now_add with now), set-based.
    AdviceRequest.objects.filter(referral_id__gte=first_referral_id).update(
        asked_at=Subquery(
            Review.objects.filter(
                referral_id=OuterRef("referral_id"), outcome=Outcome.REQUEST_ADVICE
            )
            .order_by("-created_at")
            .values("created_at")[:1]
        )
    )
    return made + len(batch)


def demo_harm_reviews(*, provider: Organisation, reviewer: User, count: int = 8) -> int:
    """A few recorded harm reviews of long waits (the rest stay due)."""
    today = timezone.localdate()
    long_waits = Referral.objects.filter(
        provider=provider,
        status__in=(Status.ACCEPTED, Status.BOOKED),
        clock_start__lte=today - timedelta(days=364),
        harm_reviews__isnull=True,
    ).exclude(category__in=DEFERRED_CATEGORIES)[:count]
    reviews = [
        HarmReview(
            referral=referral,
            reviewer=reviewer,
            outcome=HarmOutcome.NO_HARM,
            notes="Telephone review: symptoms stable, no new red flags; stays on the list.",
        )
        for referral in long_waits
    ]
    HarmReview.objects.bulk_create(reviews)
    return len(reviews)


def demo_panel_seats_accept(panel: ReviewPanel) -> int:
    """Each demo clinician invited to ``panel`` from outside its provider's ICB accepts the
    seat, as they would on their first morning, so every demo panel works from the start.
    Returns how many seats were accepted; a second run accepts none."""
    pending = PanelMembership.objects.filter(
        panel=panel, status=MembershipStatus.PENDING
    ).select_related("user")
    for membership in pending:
        panel_membership_accept(membership=membership, actor=membership.user)
    return len(pending)
