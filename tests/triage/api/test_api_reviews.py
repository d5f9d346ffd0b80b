"""POST /api/v1/referrals/{id}/review/: outcomes, bad input, stale versions and a real race."""

import threading
from datetime import timedelta

import pytest
from django.db import connections
from django.utils import timezone
from rest_framework.test import APIClient

from tests.factories import ConsultantFactory, GPFactory, ManagerFactory, TrustFactory
from tests.helpers import api_client_for
from tests.triage.factories import ReferralFactory, ReviewPanelFactory
from triage.models import AdviceRequest, Referral, Review

pytestmark = pytest.mark.django_db


def post_review(user, referral, **overrides):
    body = {
        "category": "P3",
        "outcome": "accept",
        "rationale": "Stable symptoms; routine orthopaedic assessment.",
        "version": referral.version,
    }
    body.update(overrides)
    return api_client_for(user).post(
        f"/api/v1/referrals/{referral.uuid}/review/", body, format="json"
    )


def provider_consultant(referral):
    return ConsultantFactory(organisation=referral.provider)


def test_review_is_created_and_the_referral_accepted():
    referral = ReferralFactory()
    response = post_review(provider_consultant(referral), referral, category="P2")
    referral.refresh_from_db()
    assert (response.status_code, response.json()["category"], referral.status) == (
        201,
        "P2",
        "accepted",
    )


def test_review_response_names_the_reviewer_and_the_version_reviewed():
    referral = ReferralFactory()
    consultant = provider_consultant(referral)
    body = post_review(consultant, referral).json()
    assert (body["reviewer"], body["referral"], body["referral_version"]) == (
        consultant.display_name,
        str(referral.uuid),
        referral.version,
    )


def test_panel_member_from_primary_care_reviews_the_panels_referral():
    panel = ReviewPanelFactory()
    referral = ReferralFactory(provider=panel.provider, panel=panel)
    response = post_review(panel.members.get(role="gp"), referral)
    assert (response.status_code, response.json()["panel"]) == (201, str(panel.uuid))


def test_requesting_advice_asks_the_referring_gp():
    referral = ReferralFactory()
    response = post_review(
        provider_consultant(referral),
        referral,
        outcome="request_advice",
        question="Any recent X-ray of the knee?",
    )
    assert response.status_code == 201
    assert AdviceRequest.objects.get().practice == referral.referring_practice


def test_redirect_creates_the_onward_referral():
    referral = ReferralFactory()
    other = TrustFactory()
    response = post_review(
        provider_consultant(referral),
        referral,
        outcome="redirect",
        redirect_provider=other.ods_code,
        redirect_treatment_function="120",
    )
    assert response.status_code == 201
    assert Referral.objects.get(redirected_from=referral).provider == other


def test_deferral_needs_a_contact_date():
    referral = ReferralFactory()
    response = post_review(provider_consultant(referral), referral, category="P5")
    assert (response.status_code, "contact_on" in response.json()) == (400, True)


def test_deferral_with_a_contact_date_takes_the_patient_off_the_queue():
    referral = ReferralFactory()
    contact_on = timezone.localdate() + timedelta(days=90)
    post_review(provider_consultant(referral), referral, category="P5", contact_on=contact_on)
    referral.refresh_from_db()
    assert (referral.deferred, referral.contact_on) == (True, contact_on)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("category", "P9"),
        ("outcome", "maybe"),
        ("rationale", ""),
        ("version", "latest"),
        ("redirect_provider", "NOPE1"),
    ],
)
def test_bad_input_names_the_field_and_changes_nothing(field, value):
    referral = ReferralFactory()
    response = post_review(provider_consultant(referral), referral, **{field: value})
    referral.refresh_from_db()
    assert (response.status_code, field in response.json()) == (400, True)
    assert (referral.status, Review.objects.count()) == ("awaiting_review", 0)


def test_stale_version_is_a_409_carrying_the_winning_review():
    referral = ReferralFactory()
    seen_version = referral.version
    winner = provider_consultant(referral)
    post_review(winner, referral, category="P2")
    response = post_review(provider_consultant(referral), referral, version=seen_version)
    body = response.json()
    assert (response.status_code, body["current"]["reviewer"], body["current"]["category"]) == (
        409,
        winner.display_name,
        "P2",
    )
    assert Review.objects.count() == 1


def test_gp_of_the_referring_practice_cannot_review():
    referral = ReferralFactory()
    response = post_review(GPFactory(organisation=referral.referring_practice), referral)
    assert response.status_code == 403
    assert not Review.objects.exists()


def test_manager_cannot_review():
    trust = TrustFactory()
    referral = ReferralFactory(provider=trust)
    response = post_review(ManagerFactory(organisation=trust.icb), referral)
    assert response.status_code == 403


def test_consultant_of_another_trust_gets_404():
    referral = ReferralFactory()
    assert post_review(ConsultantFactory(), referral).status_code == 404


def test_unauthenticated_review_is_refused():
    referral = ReferralFactory()
    response = APIClient().post(f"/api/v1/referrals/{referral.uuid}/review/", {}, format="json")
    assert response.status_code in (401, 403)


@pytest.mark.django_db(transaction=True)
def test_two_reviewers_posting_at_once_one_wins_and_the_other_gets_409(postgres):
    referral = ReferralFactory()
    reviewers = [provider_consultant(referral), provider_consultant(referral)]
    barrier = threading.Barrier(2)
    responses: list = []

    def post(reviewer, category):
        try:
            barrier.wait()
            responses.append(post_review(reviewer, referral, category=category))
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=post, args=(reviewer, category))
        for reviewer, category in zip(reviewers, ("P2", "P3"), strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    statuses = sorted(r.status_code for r in responses)
    loser = next(r for r in responses if r.status_code == 409).json()
    winner = Review.objects.get()
    assert (statuses, loser["current"]["id"]) == ([201, 409], str(winner.uuid))
