"""``Idempotency-Key`` on the API's writes (docs/api.md): a repeat gets the first response and
does nothing twice; the key with another request is 422; a repeat while the first runs is 409."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone
from rest_framework.test import APIClient

from core.idempotency import idempotency_records_expire
from core.models import IdempotencyRecord
from devtools.benchmark import harness
from directory.services import api_token_issue
from tests.factories import ConsultantFactory, GPFactory, PatientFactory, TrustFactory
from tests.helpers import api_client_for
from tests.triage.factories import ReferralFactory
from triage.models import Referral

pytestmark = pytest.mark.django_db
REFERRALS = "/api/v1/referrals/"
KEY = "4f1d2c6e-7a0b-4c39-9a51-2b8e0f6d1c11"


def token_client(user) -> APIClient:
    _, key = api_token_issue(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def referral_body(gp, **overrides) -> dict:
    patient = PatientFactory(registered_practice=gp.organisation)
    body = {
        "nhs_number": patient.nhs_number,
        "external_id": "PTL-000123",
        "provider": TrustFactory().ods_code,
        "treatment_function": "110",
        "priority": "urgent",
        "clock_start": timezone.localdate().isoformat(),
        "reason": "Locking of the left knee after a twisting injury.",
    }
    body.update(overrides)
    return body


def post(client, body, *, key=KEY, path=REFERRALS):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return client.post(path, body, format="json", **headers)


@pytest.fixture
def gp():
    return GPFactory()


def test_a_repeat_with_the_same_key_returns_the_first_response_and_creates_one_referral(gp):
    client = token_client(gp)
    body = referral_body(gp)
    first = post(client, body)
    again = post(client, body)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.content == first.content
    assert (again["Idempotent-Replayed"], Referral.objects.count()) == ("true", 1)


def test_a_browser_session_is_recognised_as_the_same_caller(client, gp):
    client.force_login(gp)
    body = referral_body(gp)
    first = client.post(REFERRALS, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY=KEY)
    again = client.post(REFERRALS, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY=KEY)
    assert (first.status_code, again.status_code, Referral.objects.count()) == (201, 201, 1)


def test_the_same_key_with_another_body_is_422_naming_the_header(gp):
    client = token_client(gp)
    post(client, referral_body(gp))
    response = post(client, referral_body(gp))
    assert response.status_code == 422
    assert "different request (POST /api/v1/referrals/)" in response.json()["Idempotency-Key"][0]
    assert Referral.objects.count() == 1


def test_the_same_key_on_another_path_is_422(gp):
    client = token_client(gp)
    body = referral_body(gp)
    post(client, body)
    response = post(client, body, path="/api/v1/panels/")
    assert response.status_code == 422


def test_a_key_belongs_to_its_user(gp):
    other = GPFactory(organisation=gp.organisation)
    first = post(token_client(gp), referral_body(gp))
    theirs = post(token_client(other), referral_body(other))
    assert (first.status_code, theirs.status_code, Referral.objects.count()) == (201, 201, 2)


def test_a_key_past_its_lifetime_runs_the_request_again(gp, settings):
    client = token_client(gp)
    body = referral_body(gp)
    post(client, body)
    IdempotencyRecord.objects.update(
        created_at=timezone.now() - timedelta(hours=settings.API_IDEMPOTENCY_KEY_HOURS, minutes=1)
    )
    again = post(client, body)
    assert ("Idempotent-Replayed" in again, Referral.objects.count()) == (False, 2)


def test_requests_without_a_key_are_untouched(gp):
    client = token_client(gp)
    body = referral_body(gp)
    post(client, body, key=None)
    post(client, body, key=None)
    assert (Referral.objects.count(), IdempotencyRecord.objects.count()) == (2, 0)


def test_a_malformed_key_is_400_naming_the_header(gp):
    response = post(token_client(gp), referral_body(gp), key="has spaces in it")
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()
    assert Referral.objects.count() == 0


def test_an_unauthenticated_request_with_a_key_is_refused_by_the_view_and_not_kept(gp):
    response = post(APIClient(), referral_body(gp))
    assert (response.status_code, IdempotencyRecord.objects.count()) == (401, 0)


def test_a_refusal_is_kept_and_answered_again(gp):
    # A 403 is the request's answer, not a failure to try again.
    consultant = ConsultantFactory()
    client = token_client(consultant)
    body = referral_body(gp)
    first, again = post(client, body), post(client, body)
    assert (first.status_code, again.status_code, again["Idempotent-Replayed"]) == (
        403,
        403,
        "true",
    )


def test_the_sweep_deletes_expired_records_only(gp, settings):
    client = token_client(gp)
    post(client, referral_body(gp))
    post(client, referral_body(gp), key="another-key")
    IdempotencyRecord.objects.filter(key=KEY).update(
        created_at=timezone.now() - timedelta(hours=settings.API_IDEMPOTENCY_KEY_HOURS + 1)
    )
    summary = idempotency_records_expire()
    assert summary == "1 expired Idempotency-Key record(s) deleted."
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["another-key"]


def lock_waiters() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_two_requests_with_one_key_at_once_one_runs_the_other_is_409_in_progress(postgres):
    referral = ReferralFactory()
    consultant = ConsultantFactory(organisation=referral.provider)
    path = f"{REFERRALS}{referral.uuid}/review/"
    body = {"category": "P2", "outcome": "accept", "rationale": "Locking knee.", "version": 1}
    responses = {}

    def first_request() -> None:
        try:
            responses["first"] = post(api_client_for(consultant), body, path=path)
        finally:
            connections.close_all()

    blocker = harness.raw_connection()
    try:
        with blocker.cursor() as cursor:
            # Hold the referral's row, so the first request stops inside its review.
            cursor.execute("SELECT 1 FROM triage_referral WHERE id = %s FOR UPDATE", [referral.pk])
            running = threading.Thread(target=first_request)
            running.start()
            deadline = time.monotonic() + 30
            while lock_waiters() < 1 and time.monotonic() < deadline:
                time.sleep(0.05)
            responses["second"] = post(api_client_for(consultant), body, path=path)
        blocker.commit()
        running.join(timeout=60)
    finally:
        blocker.close()
    third = post(api_client_for(consultant), body, path=path)
    second = responses["second"]
    assert (responses["first"].status_code, second.status_code, third.status_code) == (
        201,
        409,
        201,
    )
    assert "still in progress" in second.json()["detail"]
    assert third.content == responses["first"].content
    assert referral.reviews.count() == 1
