"""Work in progress on the seeded referrals: advice requests awaiting the GP's reply, a few
recorded harm reviews of long waits, and the demo panels' seats taken up."""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from directory.models import Organisation, User
from triage.models import (
    DEFERRED_CATEGORIES,
    AdviceDirection,
    AdviceRequest,
    HarmOutcome,
    HarmReview,
    MembershipStatus,
    PanelMembership,
    Referral,
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


def demo_advice_requests(*, first_referral_id: int, asked_by: dict[int, int]) -> int:
    """An advice request awaiting the GP's reply for each referral in ``advice_requested``."""
    rng = random.Random(7)
    made = 0
    pending = (
        Referral.objects.filter(id__gte=first_referral_id, status=Status.ADVICE_REQUESTED)
        .order_by("id")
        .values_list(
            "id", "patient_id", "referring_practice_id", "provider_id", "treatment_function_id"
        )
    )
    batch: list[AdviceRequest] = []
    for referral_id, patient_id, practice_id, provider_id, function in pending.iterator(5_000):
        asker = asked_by.get(provider_id)
        if asker is None:
            continue
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
