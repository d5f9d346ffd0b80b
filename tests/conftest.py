"""Thin shared fixtures. Services that a test needs for real (PostgreSQL, Redis, a Celery
worker, Chromium) are required under CI: there a missing one fails the run instead of skipping."""

from __future__ import annotations

import os

import pytest
from django.db import connection

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require(condition: bool, reason: str) -> None:
    """Skip a test whose service is absent locally; under CI, fail it instead."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"{reason} (required under CI)")
    pytest.skip(reason)


@pytest.fixture
def postgres(db):
    require(connection.vendor == "postgresql", "needs PostgreSQL: set DATABASE_URL")


@pytest.fixture(autouse=True)
def _eager_celery_in_tests(settings):
    """Tests run tasks in-process unless a test starts a real worker itself."""
    from interface.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = True


@pytest.fixture
def celery_worker_queue(transactional_db, settings):
    """A real Celery worker process consuming a private queue over the real Redis broker,
    connected to this test run's PostgreSQL database. Yields the queue name."""
    import subprocess
    import sys
    import time
    import uuid

    from django.conf import settings as django_settings

    from interface.celery import app

    broker = os.environ.get("CELERY_BROKER_URL", "")
    require(broker.startswith("redis://"), "needs a Redis broker: set CELERY_BROKER_URL")
    require(connection.vendor == "postgresql", "needs PostgreSQL: set DATABASE_URL")
    db = django_settings.DATABASES["default"]
    database_url = (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )
    queue = f"interface-test-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "DATABASE_URL": database_url, "CELERY_BROKER_URL": broker}
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "interface",
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "-Q",
            queue,
            "-n",
            f"{queue}@%h",
        ],
        env=env,
    )
    app.conf.task_always_eager = False
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            replies = app.control.ping(destination=[f"{queue}@{os.uname().nodename}"], timeout=1)
            if replies:
                break
            if worker.poll() is not None:
                pytest.fail("the Celery worker exited during start-up")
        else:
            pytest.fail("the Celery worker did not answer a ping within 60 s")
        yield queue
    finally:
        app.conf.task_always_eager = True
        worker.terminate()
        worker.wait(timeout=30)
