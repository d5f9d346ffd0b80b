"""The overdue sweep on real Celery workers over the real Redis broker and PostgreSQL
(docs/product.md §5): two workers sweeping at once raise each alert exactly once, and a worker
killed after marking, before its transaction commits, leaves nothing behind, so the rerun
raises each alert exactly once."""

from __future__ import annotations

import contextlib
import os
import signal
import uuid

import pytest
from django.db import connection

from alerts.models import Alert
from contracts.models import Obligation, ObligationStatus
from contracts.services.overdue import alert_key
from core.tasks import sweep_task
from devtools.benchmark import harness
from tests.conftest import require
from tests.contracts.conftest import run_sweeps
from tests.contracts.factories import DischargeFactory, ObligationFactory, at_hours_ago
from tests.triage.services.test_outbox import wait_for
from tests.triage.services.test_outbox_worker import log_of, pool_processes, prefork_worker

pytestmark = [pytest.mark.celery_worker, pytest.mark.usefixtures("contracts_sweep_only")]

SWEEP = "contracts.obligations_overdue"


def past_due(n: int) -> list[Obligation]:
    return [
        ObligationFactory(discharge=DischargeFactory(discharged_at=at_hours_ago(30 + i)))
        for i in range(n)
    ]


def keys_of(obligations) -> list[str]:
    return sorted(alert_key(o.uuid, r) for o in obligations for r in ("provider", "practice"))


def alert_keys() -> list[str]:
    return sorted(Alert.objects.values_list("key", flat=True))


def lock_waiters() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
        return cursor.fetchone()[0]


def rows_unlocked() -> bool:
    """No session holds a lock on an obligation any more (a dead worker's backend is gone)."""
    probe = harness.raw_connection()
    try:
        with probe.cursor() as cursor:
            cursor.execute("SET lock_timeout = '100ms'")
            cursor.execute("SELECT id FROM contracts_obligation FOR UPDATE NOWAIT")
        return True
    except Exception:
        return False
    finally:
        probe.close()


@contextlib.contextmanager
def held_alert_key(key: str, organisation_id: int):
    """Another session inserts ``key`` and keeps its transaction open: a sweep raising that
    alert waits there, after marking, with its own transaction open, until this one ends."""
    holder = harness.raw_connection()
    try:
        with holder.cursor() as cursor:
            cursor.execute(
                "INSERT INTO alerts_alert (uuid, kind, key, subject, link, organisation_id, "
                "created_at) VALUES (gen_random_uuid(), 'test', %s, 'held', '', %s, now())",
                [key, organisation_id],
            )
        yield holder
    finally:
        holder.rollback()
        holder.close()


def broker() -> str:
    url = os.environ.get("CELERY_BROKER_URL", "")
    require(url.startswith("redis://"), "needs a Redis broker: set CELERY_BROKER_URL")
    return url


@pytest.fixture
def real_tasks():
    from interface.celery import app

    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = True


@pytest.mark.django_db(transaction=True)
def test_two_workers_sweeping_at_once_raise_each_alert_exactly_once(postgres, real_tasks, tmp_path):
    obligations = past_due(6)
    queue = f"interface-test-{uuid.uuid4().hex[:8]}"
    first_log, second_log = tmp_path / "first.log", tmp_path / "second.log"
    with (
        prefork_worker(broker=broker(), queue=queue, logfile=first_log),
        prefork_worker(broker=broker(), queue=f"{queue}-b", logfile=second_log),
        held_alert_key(
            alert_key(obligations[0].uuid, "provider"), obligations[0].provider_id
        ) as holder,
    ):
        first = sweep_task.apply_async(args=[SWEEP], queue=queue)
        wait_for(lambda: lock_waiters() == 1, what="the first worker to mark and reach its alerts")
        second = sweep_task.apply_async(args=[SWEEP], queue=f"{queue}-b")
        wait_for(
            lambda: f"[{second.id}] succeeded" in log_of(second_log),
            what="the second worker's sweep, which skips the rows the first holds",
        )
        assert not Alert.objects.exclude(kind="test").exists()
        holder.rollback()
        wait_for(lambda: f"[{first.id}] succeeded" in log_of(first_log), what="the first sweep")
    assert "0 obligation(s) marked overdue; 0 alert(s) raised." in log_of(second_log)
    assert "6 obligation(s) marked overdue; 12 alert(s) raised." in log_of(first_log)
    assert alert_keys() == keys_of(obligations)
    assert set(Obligation.objects.values_list("status", flat=True)) == {ObligationStatus.OVERDUE}


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_after_marking_leaves_nothing_and_the_rerun_raises_each_once(
    postgres, real_tasks, tmp_path
):
    obligations = past_due(5)
    queue = f"interface-test-{uuid.uuid4().hex[:8]}"
    logfile = tmp_path / "worker.log"
    with prefork_worker(broker=broker(), queue=queue, logfile=logfile) as worker:
        with held_alert_key(
            alert_key(obligations[0].uuid, "provider"), obligations[0].provider_id
        ) as holder:
            sent = sweep_task.apply_async(args=[SWEEP], queue=queue)
            wait_for(lambda: lock_waiters() == 1, what="the sweep to mark and reach its alerts")
            for pid in pool_processes(worker.pid):
                os.kill(pid, signal.SIGKILL)
            # acks_late + reject_on_worker_lost: the new pool process gets the task again; the
            # dead run's backend still holds the rows, so the redelivery skips them.
            wait_for(
                lambda: f"[{sent.id}] succeeded" in log_of(logfile), what="the redelivered sweep"
            )
            holder.rollback()
        # The dead run's backend finds its client gone and rolls back: marks and alerts alike.
        wait_for(rows_unlocked, what="the killed run's transaction to end")
    assert "SIGKILL" in log_of(logfile) or "WorkerLostError" in log_of(logfile)
    assert set(Obligation.objects.values_list("status", flat=True)) == {ObligationStatus.OPEN}
    assert alert_keys() == []

    output = run_sweeps()

    assert "5 obligation(s) marked overdue; 10 alert(s) raised." in output
    assert alert_keys() == keys_of(obligations)
