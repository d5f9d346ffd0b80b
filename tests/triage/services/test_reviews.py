"""Clinical review: outcomes, deferral, advice to the GP, and one winner of a race."""

import threading
from datetime import timedelta

import pytest
from django.db import connections
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import COMMAND_CONTEXT
from core.errors import ApplicationError, ConflictError
from tests.factories import CommunityClinicianFactory, ConsultantFactory, GPFactory, TrustFactory
from tests.helpers import api_client_for, signed_in
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


# Retries: the same reviewer sending the same review again (docs/product.md §2)


def test_the_same_review_sent_again_by_its_reviewer_returns_that_review():
    referral = ReferralFactory()
    consultant = provider_consultant(referral)
    version = referral.version
    first = review(referral, consultant, category="P2")
    again = review(referral, consultant, category="P2", version=version)
    assert (again.pk, again.replayed, first.replayed) == (first.pk, True, False)
    assert Review.objects.count() == 1


def test_a_retried_review_changes_nothing_and_is_audited_as_a_view():
    referral = ReferralFactory()
    consultant = provider_consultant(referral)
    version = referral.version
    review(referral, consultant)
    referral.refresh_from_db()
    saved_version = referral.version
    review(referral, consultant, version=version)
    referral.refresh_from_db()
    event = AuditEvent.objects.filter(user=consultant).latest("id")
    assert (referral.version, event.action, event.patient_id) == (
        saved_version,
        "view",
        referral.patient_id,
    )


def test_a_different_review_of_the_same_version_by_the_same_reviewer_is_a_conflict():
    referral = ReferralFactory()
    consultant = provider_consultant(referral)
    version = referral.version
    review(referral, consultant, category="P2")
    with pytest.raises(ConflictError, match="You already saved a different review") as caught:
        review(referral, consultant, category="P4", version=version)
    assert caught.value.current["category"] == "P2"


def test_the_same_review_sent_by_another_reviewer_is_still_a_conflict():
    referral = ReferralFactory()
    version = referral.version
    review(referral, provider_consultant(referral))
    with pytest.raises(ConflictError, match="Another reviewer saved"):
        review(referral, provider_consultant(referral), version=version)


def post_review(user, referral, version):
    body = {
        "category": "P3",
        "outcome": "accept",
        "rationale": "Stable symptoms; routine orthopaedic assessment.",
        "version": version,
    }
    return api_client_for(user).post(
        f"/api/v1/referrals/{referral.uuid}/review/", body, format="json"
    )


def test_the_api_answers_a_retried_review_200_with_the_reviewers_own_review():
    referral = ReferralFactory()
    consultant = provider_consultant(referral)
    version = referral.version
    first = post_review(consultant, referral, version)
    again = post_review(consultant, referral, version)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()


def test_the_api_still_answers_another_reviewer_409_with_the_winning_review():
    referral = ReferralFactory()
    version = referral.version
    winner = post_review(provider_consultant(referral), referral, version).json()
    response = post_review(provider_consultant(referral), referral, version)
    assert (response.status_code, response.json()["current"]["id"]) == (409, winner["id"])


def test_the_browser_shows_a_review_sent_twice_as_saved(client):
    referral = ReferralFactory()
    signed_in(client, provider_consultant(referral))
    form = {
        "review-category": "P2",
        "review-outcome": "accept",
        "review-rationale": "Locking knee: needs assessment within four weeks.",
        "review-version": referral.version,
    }
    url = f"/triage/referrals/{referral.uuid}/review/"
    client.post(url, form)
    response = client.post(url, form, follow=True)
    assert response.status_code == 200
    assert "Your review was already saved." in response.content.decode()
    assert Review.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_one_reviewer_sending_the_same_review_twice_at_once_saves_it_once(postgres):
    referral = ReferralFactory()
    consultant = provider_consultant(referral)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def save():
        try:
            barrier.wait()
            saved = review(referral, consultant)
            outcomes.append("retried" if saved.replayed else "saved")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["retried", "saved"]
    assert Review.objects.count() == 1


# Fields the chosen outcome would ignore are refused, naming the field, never dropped (issue 10).


def field_errors_of(call) -> dict:
    with pytest.raises(ApplicationError) as caught:
        call()
    return caught.value.field_errors


def test_a_question_for_the_gp_with_another_outcome_is_refused_naming_the_question():
    referral = ReferralFactory()
    errors = field_errors_of(
        lambda: review(
            referral, provider_consultant(referral), outcome="return", question="X-ray done?"
        )
    )
    assert errors["question"] == [
        "Remove the question for the GP, or choose ‘Ask the referring GP’."
    ]
    assert not Review.objects.exists()


def test_a_redirect_destination_with_another_outcome_is_refused_naming_each_field():
    referral = ReferralFactory()
    errors = field_errors_of(
        lambda: review(
            referral,
            provider_consultant(referral),
            redirect_provider=TrustFactory(),
            redirect_treatment_function=treatment_function("110"),
        )
    )
    assert set(errors) == {"redirect_provider", "redirect_treatment_function"}


def test_a_contact_date_with_a_category_other_than_p5_or_p6_is_refused():
    referral = ReferralFactory()
    errors = field_errors_of(
        lambda: review(
            referral,
            provider_consultant(referral),
            contact_on=timezone.localdate() + timedelta(days=30),
        )
    )
    assert errors["contact_on"][0].startswith("Remove the date to contact the patient again")


def test_an_unknown_outcome_is_refused_with_the_outcomes_labels():
    referral = ReferralFactory()
    errors = field_errors_of(lambda: review(referral, provider_consultant(referral), outcome="x"))
    assert errors["outcome"] == [
        "Choose one of: Accept; Return to referrer with advice; Redirect to another service; "
        "Ask the referring GP."
    ]


def test_returning_an_urgent_referral_needs_confirmation():
    referral = ReferralFactory()
    errors = field_errors_of(
        lambda: review(referral, provider_consultant(referral), category="P1a", outcome="return")
    )
    assert list(errors) == ["confirm_urgent_return"]
    assert not Review.objects.exists()


def test_returning_an_urgent_referral_with_confirmation_is_saved():
    referral = ReferralFactory()
    review(
        referral,
        provider_consultant(referral),
        category="P1b",
        outcome="return",
        confirm_urgent_return=True,
    )
    referral.refresh_from_db()
    assert referral.status == "returned_to_referrer"


def test_the_category_change_in_the_history_reads_in_labels():
    referral = ReferralFactory()
    review(referral, provider_consultant(referral), category="P2")
    note = referral.events.get(kind="category").note
    assert note == "Provisional → P2 – within 4 weeks"


def test_the_api_refuses_an_urgent_return_without_confirm_urgent_return_naming_it():
    referral = ReferralFactory()
    body = {
        "category": "P1a",
        "outcome": "return",
        "rationale": "Manage in primary care.",
        "version": referral.version,
    }
    response = api_client_for(provider_consultant(referral)).post(
        f"/api/v1/referrals/{referral.uuid}/review/", body, format="json"
    )
    assert response.status_code == 400
    assert "confirm_urgent_return" in response.json()


def test_the_api_saves_an_urgent_return_with_confirm_urgent_return():
    referral = ReferralFactory()
    body = {
        "category": "P1a",
        "outcome": "return",
        "rationale": "Manage in primary care.",
        "version": referral.version,
        "confirm_urgent_return": True,
    }
    response = api_client_for(provider_consultant(referral)).post(
        f"/api/v1/referrals/{referral.uuid}/review/", body, format="json"
    )
    assert response.status_code == 201


def test_the_api_names_an_unknown_category_by_the_labels():
    referral = ReferralFactory()
    body = {"category": "P9", "outcome": "accept", "rationale": "x", "version": referral.version}
    response = api_client_for(provider_consultant(referral)).post(
        f"/api/v1/referrals/{referral.uuid}/review/", body, format="json"
    )
    assert response.json()["category"][0].startswith(
        "Choose one of: P1a – emergency, within 24 hours; P1b"
    )
