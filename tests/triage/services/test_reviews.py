"""Clinical review: outcomes, deferral, advice to the GP, and one winner of a race."""

import threading
from datetime import timedelta

import pytest
from django.db import connections
from django.utils import timezone

from audit.services import COMMAND_CONTEXT
from core.errors import ApplicationError, ConflictError
from tests.factories import CommunityClinicianFactory, ConsultantFactory, GPFactory, TrustFactory
from tests.triage.factories import ReferralFactory, ReviewPanelFactory, treatment_function
from triage.models import AdviceRequest, Referral, Review
from triage.services.advice import advice_reply
from triage.services.reviews import referral_review

pytestmark = pytest.mark.django_db
CTX = COMMAND_CONTEXT


def review(referral, reviewer, **overrides):
    fields = {
        "category": "P3",
        "outcome": "accept",
        "rationale": "Stable symptoms; routine orthopaedic assessment.",
        "version": referral.version,
    }
    fields.update(overrides)
    return referral_review(referral=referral, reviewer=reviewer, context=CTX, **fields)


def provider_consultant(referral):
    return ConsultantFactory(organisation=referral.provider)


def test_accepting_sets_category_status_and_target():
    referral = ReferralFactory()
    review(referral, provider_consultant(referral), category="P2")
    referral.refresh_from_db()
    assert (referral.status, referral.category, referral.target_date) == (
        "accepted",
        "P2",
        referral.clock_start + timedelta(days=28),
    )


def test_a_panel_member_from_primary_care_may_review_the_panels_referrals():
    panel = ReviewPanelFactory()
    gp_member = panel.members.get(role="gp")
    referral = ReferralFactory(provider=panel.provider, panel=panel)
    result = review(referral, gp_member)
    assert result.panel == panel


def test_a_clinician_without_a_part_in_the_referral_cannot_review_it():
    referral = ReferralFactory()
    with pytest.raises(ApplicationError, match="panel"):
        review(referral, CommunityClinicianFactory())
    assert not Review.objects.exists()


def test_returning_to_referrer_closes_the_referral_with_advice():
    referral = ReferralFactory()
    review(
        referral,
        provider_consultant(referral),
        outcome="return",
        rationale="Manage in primary care: NSAIDs",
    )
    referral.refresh_from_db()
    assert (referral.status, referral.clock_stopped_on) == (
        "returned_to_referrer",
        timezone.localdate(),
    )


def test_deferral_p5_needs_a_contact_date():
    referral = ReferralFactory()
    with pytest.raises(ApplicationError) as caught:
        review(referral, provider_consultant(referral), category="P5")
    assert "contact_on" in caught.value.field_errors


def test_deferral_p6_keeps_the_patient_on_the_list_apart_from_the_queue():
    referral = ReferralFactory()
    contact = timezone.localdate() + timedelta(days=90)
    review(referral, provider_consultant(referral), category="P6", contact_on=contact)
    referral.refresh_from_db()
    assert (referral.status, referral.deferred, referral.contact_on) == ("accepted", True, contact)


def test_redirect_creates_the_onward_referral_with_the_same_clock():
    referral = ReferralFactory()
    other = TrustFactory()
    review(
        referral,
        provider_consultant(referral),
        outcome="redirect",
        redirect_provider=other,
        redirect_treatment_function=treatment_function("400"),
    )
    referral.refresh_from_db()
    onward = Referral.objects.get(redirected_from=referral)
    assert referral.status == "redirected"
    assert (onward.provider, onward.treatment_function_id, onward.clock_start) == (
        other,
        "400",
        referral.clock_start,
    )


def test_redirect_without_a_destination_names_the_fields():
    referral = ReferralFactory()
    with pytest.raises(ApplicationError) as caught:
        review(referral, provider_consultant(referral), outcome="redirect")
    assert {"redirect_provider", "redirect_treatment_function"} <= set(caught.value.field_errors)


def test_asking_the_gp_creates_an_advice_request_for_the_referring_practice():
    referral = ReferralFactory()
    review(
        referral, provider_consultant(referral), outcome="request_advice", question="Recent HbA1c?"
    )
    referral.refresh_from_db()
    advice = AdviceRequest.objects.get(referral=referral)
    assert (referral.status, advice.practice, advice.question) == (
        "advice_requested",
        referral.referring_practice,
        "Recent HbA1c?",
    )


def test_the_gps_answer_returns_the_referral_to_review():
    referral = ReferralFactory()
    review(
        referral, provider_consultant(referral), outcome="request_advice", question="Recent HbA1c?"
    )
    advice = AdviceRequest.objects.get(referral=referral)
    gp = GPFactory(organisation=referral.referring_practice)
    advice_reply(advice=advice, actor=gp, context=CTX, answer="48 mmol/mol in March")
    referral.refresh_from_db()
    advice.refresh_from_db()
    assert (referral.status, advice.status, advice.answered_by) == ("under_review", "answered", gp)


def test_a_gp_of_another_practice_cannot_answer():
    referral = ReferralFactory()
    review(
        referral, provider_consultant(referral), outcome="request_advice", question="Recent HbA1c?"
    )
    advice = AdviceRequest.objects.get(referral=referral)
    with pytest.raises(ApplicationError):
        advice_reply(advice=advice, actor=GPFactory(), context=CTX, answer="Not my patient")


def test_a_stale_version_is_a_conflict_carrying_the_winning_review():
    referral = ReferralFactory()
    winner = provider_consultant(referral)
    loser = provider_consultant(referral)
    seen_version = referral.version
    review(referral, winner, category="P2", rationale="Winner's rationale")
    with pytest.raises(ConflictError) as caught:
        review(referral, loser, category="P4", version=seen_version)
    assert caught.value.status == 409
    assert (caught.value.current["category"], caught.value.current["rationale"]) == (
        "P2",
        "Winner's rationale",
    )
    assert Review.objects.count() == 1


def test_missing_rationale_names_the_field_and_saves_nothing():
    referral = ReferralFactory()
    with pytest.raises(ApplicationError) as caught:
        review(referral, provider_consultant(referral), rationale="  ")
    assert "rationale" in caught.value.field_errors
    referral.refresh_from_db()
    assert (referral.status, Review.objects.count()) == ("awaiting_review", 0)


@pytest.mark.django_db(transaction=True)
def test_two_reviewers_saving_at_once_one_wins_one_conflicts(postgres):
    referral = ReferralFactory()
    reviewers = [provider_consultant(referral), provider_consultant(referral)]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def save(reviewer, category):
        try:
            barrier.wait()
            review(referral, reviewer, category=category)
            outcomes.append("saved")
        except ConflictError:
            outcomes.append("conflict")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=save, args=(r, c))
        for r, c in zip(reviewers, ("P2", "P3"), strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict", "saved"]
    assert Review.objects.count() == 1
