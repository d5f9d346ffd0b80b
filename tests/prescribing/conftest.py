"""A result store for the real Celery worker, so a test can wait for each of its runs."""

from __future__ import annotations

import os

import pytest


@pytest.fixture
def worker_results(monkeypatch):
    """Request it before ``celery_worker_queue``: the worker that fixture starts is told of a
    result store (Redis, beside the broker). The app keeps no results, but a test of sweeps run
    at once must know when the worker's runs have finished. Yields the store to read from."""
    from celery.app.backends import by_url

    from interface.celery import app

    broker = os.environ.get("CELERY_BROKER_URL", "")
    if not broker.startswith("redis://"):
        yield None  # celery_worker_queue skips the test (or fails it under CI)
        return
    monkeypatch.setenv("CELERY_RESULT_BACKEND", broker)
    backend_class, url = by_url(broker, app.loader)
    yield backend_class(app=app, url=url)
