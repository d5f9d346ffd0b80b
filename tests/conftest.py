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


DB_FIXTURES = {"db", "transactional_db", "live_server", "postgres", "celery_worker_queue"}


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Every factory user gets a password; the production hasher costs half a second each."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The API throttle counts live in the cache; one test's calls must not count in the next."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Migrations load the treatment functions; a transactional test's flush empties them for
    every test after it, so put them back wherever a test uses the database."""
    if request.node.get_closest_marker("django_db") is None and not DB_FIXTURES & set(
        request.fixturenames
    ):
        return
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server", "celery_worker_queue"} & set(request.fixturenames)
    )
    request.getfixturevalue("transactional_db" if transactional else "db")
    from triage.models import TreatmentFunction
    from triage.reference_data import TREATMENT_FUNCTIONS, treatment_functions_load

    if TreatmentFunction.objects.count() < len(TREATMENT_FUNCTIONS):
        treatment_functions_load(TreatmentFunction)
    from diagnostics.models import TestType
    from diagnostics.reference_data import TEST_TYPES, test_types_load

    if TestType.objects.count() < len(TEST_TYPES):
        test_types_load(TestType)


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
def celery_worker_queue(transactional_db):
    """A real Celery worker process consuming a private queue over the real Redis broker,
    connected to this test run's PostgreSQL database. Yields the queue name."""
    import uuid

    from devtools.benchmark.harness import celery_worker
    from interface.celery import app

    broker = os.environ.get("CELERY_BROKER_URL", "")
    require(broker.startswith("redis://"), "needs a Redis broker: set CELERY_BROKER_URL")
    require(connection.vendor == "postgresql", "needs PostgreSQL: set DATABASE_URL")
    queue = f"interface-test-{uuid.uuid4().hex[:8]}"
    app.conf.task_always_eager = False
    try:
        with celery_worker(broker=broker, queue=queue):
            yield queue
    finally:
        app.conf.task_always_eager = True
