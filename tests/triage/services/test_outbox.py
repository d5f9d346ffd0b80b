"""Follow-up work survives the broker: a change records its service's recomputation in its own
transaction, the task sent on commit (best effort) or else the sweep carries it out, and neither
a dead broker nor a killed worker loses it (docs/architecture.md, "Follow-up work and sweeps";
docs/product.md §2 "Recomputation", §8 ``run_sweeps``)."""

from __future__ import annotations

import contextlib
import io
import logging
import threading
import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.utils import timezone

from devtools.benchmark import harness
from tests.factories import ConsultantFactory, TrustFactory
from tests.helpers import api_client_for
from tests.triage.factories import ReferralFactory, treatment_function
from triage.models import QueueRecomputeRequest, Referral
from triage.services.queue import (
    queue_recompute,
    queue_recompute_on_commit,
    queue_recompute_requested,
    queue_recompute_requests_sweep,
)
from triage.services.referrals import referral_lock, referral_transition
from triage.tasks import queue_recompute_provider_task

# Nothing listens here: the broker is "down".
UNREACHABLE_BROKER = "redis://127.0.0.1:6390/0"


def days_ago(n: int):
    return timezone.localdate() - timedelta(days=n)


def service_queue(size: int = 3):
    """A service of routine referrals, its queue recomputed: the newest is last."""
    trust = TrustFactory()
    referrals = [
        ReferralFactory(provider=trust, clock_start=days_ago(100 - i)) for i in range(size)
    ]
    queue_recompute(provider_ids=[trust.pk])
    return trust, referrals


def service_with_stale_queue(size: int = 3):
    """A service whose stored queue is wrong: its newest referral was made P1a, which puts it
    first, but nothing has recomputed since."""
    trust, referrals = service_queue(size)
    Referral.objects.filter(pk=referrals[-1].pk).update(category="P1a")
    return trust, referrals


def queue_state(provider) -> list[tuple]:
    return list(
        Referral.objects.filter(provider=provider)
        .order_by("id")
        .values_list("id", "position", "target_date", "effective_category")
    )


def queue_from_scratch(provider) -> list[tuple]:
    """The queue as a recompute from nothing makes it."""
    Referral.objects.filter(provider=provider).update(
        position=None, target_date=None, urgency_rank=None, effective_category=""
    )
    queue_recompute(provider_ids=[provider.pk])
    return queue_state(provider)


def record_lost_send(provider, function: str = "110") -> QueueRecomputeRequest:
    """A request whose task was never sent (or was lost on the way)."""
    return QueueRecomputeRequest.objects.create(provider=provider, treatment_function=function)


def pending(provider) -> list[str]:
    return list(
        QueueRecomputeRequest.objects.filter(provider=provider).values_list(
            "treatment_function", flat=True
        )
    )


def wait_for(condition, *, seconds: float = 60, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out after {seconds} s waiting for {what}")


def _forget_broker_connections(app) -> None:
    # Celery keeps its connection and producer pools per app; a new broker needs new ones.
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def unreachable_broker(monkeypatch, transactional_db):
    """Tasks are sent for real, to a port where nothing listens (Redis down). Celery reads
    CELERY_BROKER_URL from the environment before its settings, so both are pointed there."""
    from interface.celery import app

    monkeypatch.setenv("CELERY_BROKER_URL", UNREACHABLE_BROKER)
    saved = app.conf.broker_url
    app.conf.broker_url = UNREACHABLE_BROKER
    app.conf.task_always_eager = False
    _forget_broker_connections(app)
    try:
        yield UNREACHABLE_BROKER
    finally:
        app.conf.broker_url = saved
        app.conf.task_always_eager = True
        _forget_broker_connections(app)


def post_review(user, referral, **overrides):
    body = {
        "category": "P1a",
        "outcome": "accept",
        "rationale": "Locked knee: needs urgent assessment.",
        "version": referral.version,
    }
    body.update(overrides)
    return api_client_for(user).post(
        f"/api/v1/referrals/{referral.uuid}/review/", body, format="json"
    )


# Recording


@pytest.mark.django_db
def test_a_change_records_its_service_in_its_own_transaction():
    referral = ReferralFactory()
    with transaction.atomic():
        locked = referral_lock(referral)
        referral_transition(referral=locked, actor=None, to_status="under_review")
        assert pending(referral.provider) == [referral.treatment_function_id]


@pytest.mark.django_db
def test_a_change_rolled_back_leaves_no_request():
    referral = ReferralFactory()
    with contextlib.suppress(RuntimeError), transaction.atomic():
        referral_transition(referral=referral_lock(referral), actor=None, to_status="under_review")
        raise RuntimeError("the change fails after recording its recomputation")
    assert pending(referral.provider) == []


# Carrying it out


@pytest.mark.django_db
def test_the_task_recomputes_the_service_and_deletes_the_requests_it_covered():
    trust, _ = service_with_stale_queue()
    queue_recompute_on_commit(trust.pk, "110")
    queue_recompute_on_commit(trust.pk, "110")
    result = queue_recompute_provider_task.apply(args=[trust.pk, "110"]).get()
    assert (result["providers"], pending(trust)) == (1, [])
    assert queue_state(trust) == queue_from_scratch(trust)


@pytest.mark.django_db
def test_with_nothing_recorded_the_task_does_nothing():
    # Another task or the sweep covered the request already: no second recomputation.
    trust, _ = service_with_stale_queue()
    stale = queue_state(trust)
    result = queue_recompute_requested(trust.pk, "110")
    assert (result.providers, queue_state(trust)) == (0, stale)


@pytest.mark.django_db
def test_a_provider_wide_request_recomputes_every_service_and_covers_their_requests():
    trust, _ = service_with_stale_queue()
    ent = ReferralFactory(provider=trust, treatment_function=treatment_function("120"))
    queue_recompute_on_commit(trust.pk, "110")
    queue_recompute_on_commit(trust.pk)
    queue_recompute_requested(trust.pk)
    ent.refresh_from_db()
    assert (pending(trust), ent.position) == ([], 1)
    assert queue_state(trust) == queue_from_scratch(trust)


@pytest.mark.django_db(transaction=True)
def test_a_request_recorded_while_the_task_runs_is_kept_for_the_next_run(postgres):
    trust, referrals = service_with_stale_queue()
    first = record_lost_send(trust)
    blocker = harness.raw_connection()
    outcome = {}

    def task() -> None:
        try:
            outcome["result"] = queue_recompute_requested(trust.pk, "110")
        finally:
            connections.close_all()

    try:
        with blocker.cursor() as cursor:
            # Hold a row the recompute must rewrite, so the task stops mid-run.
            cursor.execute(
                "SELECT 1 FROM triage_referral WHERE id = %s FOR UPDATE", [referrals[-1].pk]
            )
            running = threading.Thread(target=task)
            running.start()
            wait_for(lambda: lock_waiters() >= 1, seconds=30, what="the task to wait on the row")
            record_lost_send(trust)  # a change committed meanwhile
        blocker.commit()
        running.join(timeout=60)
    finally:
        blocker.close()
    remaining = list(QueueRecomputeRequest.objects.values_list("pk", flat=True))
    assert outcome["result"].providers == 1
    assert len(remaining) == 1 and first.pk not in remaining


def lock_waiters() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


# The broker down


def test_a_failed_send_is_logged_not_raised(unreachable_broker, caplog):
    referral = ReferralFactory()
    with caplog.at_level(logging.WARNING, logger="triage.services.queue"), transaction.atomic():
        referral_transition(referral=referral_lock(referral), actor=None, to_status="under_review")
    referral.refresh_from_db()
    assert referral.status == "under_review"
    assert "not sent; the next sweep does it" in caplog.text
    assert pending(referral.provider) == ["110"]


def test_with_the_broker_unreachable_a_review_is_saved_at_once_and_the_sweep_catches_up(
    unreachable_broker,
):
    trust, referrals = service_queue()
    newest = Referral.objects.get(pk=referrals[-1].pk)
    consultant = ConsultantFactory(organisation=trust)

    started = time.monotonic()
    response = post_review(consultant, newest)
    elapsed = time.monotonic() - started

    assert (response.status_code, response.json()["category"]) == (201, "P1a")
    assert elapsed < 1.0, f"the review took {elapsed:.2f} s with the broker down"
    assert pending(trust) == ["110"]
    newest.refresh_from_db()
    assert newest.position != 1  # not recomputed yet: the task was never sent

    call_command("run_sweeps", stdout=io.StringIO())

    after_sweep = queue_state(trust)
    assert pending(trust) == []
    assert after_sweep == queue_from_scratch(trust)
    newest.refresh_from_db()
    assert newest.position == 1


# The sweep


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_recompute_each_service_once(postgres):
    trust, _ = service_with_stale_queue()
    record_lost_send(trust)
    barrier = threading.Barrier(2)
    summaries: list[str] = []

    def sweep() -> None:
        try:
            barrier.wait()
            summaries.append(queue_recompute_requests_sweep())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(int(summary.split()[0]) for summary in summaries) == [0, 1]
    assert pending(trust) == []
    assert queue_state(trust) == queue_from_scratch(trust)


@pytest.mark.django_db
def test_the_sweep_carries_out_every_recorded_request_and_then_has_nothing_to_do():
    trust, _ = service_with_stale_queue()
    other, _ = service_with_stale_queue()
    queue_recompute_on_commit(trust.pk, "110")
    queue_recompute_on_commit(other.pk)
    first, second = queue_recompute_requests_sweep(), queue_recompute_requests_sweep()
    assert (first.split()[0], second.split()[0]) == ("2", "0")
    assert (pending(trust), pending(other)) == ([], [])
