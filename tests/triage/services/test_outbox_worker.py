"""Follow-up work survives the worker: the task sent on commit runs on a real worker over the
real broker, and a task whose worker process is killed mid-run is delivered again and finishes
once (acks_late, reject_on_worker_lost; docs/architecture.md, "Follow-up work and sweeps")."""

from __future__ import annotations

import contextlib
import os
import platform
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection

from devtools.benchmark import harness
from tests.conftest import require
from tests.factories import ConsultantFactory
from tests.triage.services.test_outbox import (
    pending,
    post_review,
    queue_from_scratch,
    queue_state,
    record_lost_send,
    service_queue,
    service_with_stale_queue,
    wait_for,
)
from triage.models import Referral
from triage.services.queue import ADVISORY_LOCK_CLASS
from triage.tasks import queue_recompute_provider_task


def test_on_commit_a_real_worker_recomputes_the_service(celery_worker_queue):
    from interface.celery import app

    trust, referrals = service_queue()
    newest = Referral.objects.get(pk=referrals[-1].pk)
    saved = app.conf.task_default_queue
    app.conf.task_default_queue = celery_worker_queue  # the on-commit send goes to our worker
    try:
        response = post_review(ConsultantFactory(organisation=trust), newest)
        assert response.status_code == 201
        wait_for(lambda: not pending(trust), what="the worker to carry out the request")
    finally:
        app.conf.task_default_queue = saved
    newest.refresh_from_db()
    assert newest.position == 1
    assert queue_state(trust) == queue_from_scratch(trust)


@contextlib.contextmanager
def prefork_worker(*, broker: str, queue: str, logfile: Path):
    """A real worker with one pool process (so the process running a task can be killed while
    the worker lives on), logging at INFO to ``logfile``."""
    from interface.celery import app

    env = {**os.environ, "DATABASE_URL": harness.database_url(), "CELERY_BROKER_URL": broker}
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "interface",
            "worker",
            "--pool=prefork",
            "--concurrency=1",
            "--loglevel=INFO",
            f"--logfile={logfile}",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "-Q",
            queue,
            "-n",
            f"{queue}@%h",
        ],
        cwd=harness.ROOT,
        env=env,
    )
    try:
        wait_for(
            lambda: (
                worker.poll() is not None
                or app.control.ping(destination=[f"{queue}@{platform.node()}"], timeout=1)
            ),
            what="the worker to start",
        )
        assert worker.poll() is None, "the Celery worker exited during start-up"
        yield worker
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def pool_processes(parent_pid: int) -> list[int]:
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == parent_pid:
                children.append(int(stat.parent.name))
    return children


def log_of(logfile: Path) -> str:
    return logfile.read_text() if logfile.exists() else ""


def advisory_waiters(provider_id: int) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
            "AND classid = %s AND objid = %s",
            [ADVISORY_LOCK_CLASS, provider_id],
        )
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_a_task_killed_mid_run_is_delivered_again_and_finishes_once(postgres, tmp_path):
    from interface.celery import app

    broker = os.environ.get("CELERY_BROKER_URL", "")
    require(broker.startswith("redis://"), "needs a Redis broker: set CELERY_BROKER_URL")
    trust, _ = service_with_stale_queue()
    record_lost_send(trust)
    queue = f"interface-test-{uuid.uuid4().hex[:8]}"
    logfile = tmp_path / "worker.log"
    holder = harness.raw_connection()
    holder.autocommit = True
    app.conf.task_always_eager = False
    try:
        with prefork_worker(broker=broker, queue=queue, logfile=logfile) as worker:
            with holder.cursor() as cursor:
                # The recompute needs the provider's lock: holding it makes the task wait mid-run.
                cursor.execute("SELECT pg_advisory_lock(%s, %s)", [ADVISORY_LOCK_CLASS, trust.pk])
                sent = queue_recompute_provider_task.apply_async(
                    args=[trust.pk, "110"], queue=queue
                )
                wait_for(lambda: advisory_waiters(trust.pk) == 1, what="the task to start")
                for pid in pool_processes(worker.pid):
                    os.kill(pid, signal.SIGKILL)
                # The worker's new pool process receives the task again.
                received = f"[{sent.id}] received"
                wait_for(lambda: log_of(logfile).count(received) == 2, what="the redelivery")
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [ADVISORY_LOCK_CLASS, trust.pk])
            wait_for(lambda: not pending(trust), what="the redelivered task to finish")
            succeeded = f"[{sent.id}] succeeded"
            wait_for(lambda: succeeded in log_of(logfile), seconds=10, what="its log line")
            time.sleep(1)  # long enough for a second run to show in the log, were there one
            log = log_of(logfile)
    finally:
        holder.close()
        app.conf.task_always_eager = True
    assert "SIGKILL" in log or "WorkerLostError" in log
    assert log.count(succeeded) == 1
    assert queue_state(trust) == queue_from_scratch(trust)
