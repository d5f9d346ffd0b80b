"""Bounded statements (core/db.py): every PostgreSQL session gets its process's
statement_timeout, and a web request whose statement outruns it answers a clean 503 within about
the timeout, never a held worker or a traceback."""

from __future__ import annotations

import contextlib
import threading
import time

import psycopg2
import pytest
from django.db import connection, connections

from core import db
from tests.conftest import require
from tests.factories import ConsultantFactory
from tests.helpers import api_client_for, signed_in
from tests.triage.factories import ReferralFactory

TIMEOUT_MS = 200
# The lock is released after this long whatever happens, so a broken timeout fails the test
# (by the clock) instead of hanging the run.
SAFETY_RELEASE_S = 10


def session_setting(name: str) -> str:
    """``SHOW name`` on a fresh connection, as a new process of the current role would open."""
    fresh = connections.create_connection("default")
    try:
        with fresh.cursor() as cursor:
            cursor.execute(f"SHOW {name}")
            return cursor.fetchone()[0]
    finally:
        fresh.close()


@pytest.fixture
def web_role():
    previous = db.process_role()
    db.process_role_set(db.WEB)
    yield
    db.process_role_set(previous)


def test_web_sessions_get_the_web_statement_timeout(postgres, settings, web_role):
    settings.WEB_STATEMENT_TIMEOUT_MS = TIMEOUT_MS

    assert session_setting("statement_timeout") == "200ms"


def test_command_and_task_sessions_get_the_batch_statement_timeout(postgres, settings):
    settings.BATCH_STATEMENT_TIMEOUT_MS = 30 * 60 * 1000

    assert db.process_role() == db.BATCH
    assert session_setting("statement_timeout") == "30min"


def test_batch_timeout_zero_means_none(postgres, settings):
    # For the benchmark's bulk loads.
    settings.BATCH_STATEMENT_TIMEOUT_MS = 0

    assert session_setting("statement_timeout") == "0"


def test_process_role_refuses_an_unknown_role():
    with pytest.raises(ValueError, match="role: must be 'web' or 'batch'"):
        db.process_role_set("worker")


@contextlib.contextmanager
def referral_table_locked():
    """Another session holds ACCESS EXCLUSIVE on triage_referral: every read of it waits."""
    params = connection.settings_dict
    holder = psycopg2.connect(
        dbname=params["NAME"],
        user=params["USER"],
        password=params["PASSWORD"] or None,
        host=params["HOST"] or "127.0.0.1",
        port=params["PORT"] or 5432,
    )
    safety = threading.Timer(SAFETY_RELEASE_S, holder.rollback)
    try:
        with holder.cursor() as cursor:
            cursor.execute("LOCK TABLE triage_referral IN ACCESS EXCLUSIVE MODE")
        safety.start()
        yield
    finally:
        safety.cancel()
        holder.rollback()
        holder.close()


@pytest.fixture
def web_connection(transactional_db, settings, web_role):
    """This thread's connection reopened as a web process's, with a 200 ms timeout."""
    require(connection.vendor == "postgresql", "needs PostgreSQL: set DATABASE_URL")
    settings.WEB_STATEMENT_TIMEOUT_MS = TIMEOUT_MS
    connection.close()
    yield
    # The next test's connection is opened in its own role.
    connection.close()


@pytest.fixture
def consultant_with_a_referral():
    consultant = ConsultantFactory()
    ReferralFactory(provider=consultant.organisation)
    return consultant


def test_api_request_stuck_on_a_lock_answers_503_json_within_the_timeout(
    web_connection, consultant_with_a_referral
):
    api = api_client_for(consultant_with_a_referral)

    with referral_table_locked():
        started = time.monotonic()
        response = api.get("/api/v1/queue/")
        elapsed = time.monotonic() - started

    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert "took too long" in response.json()["detail"]
    assert elapsed < 3, f"answered after {elapsed:.1f} s"


def test_page_stuck_on_a_lock_answers_the_error_page_within_the_timeout(
    client, web_connection, consultant_with_a_referral
):
    signed_in(client, consultant_with_a_referral)

    with referral_table_locked():
        started = time.monotonic()
        response = client.get("/triage/queue/")
        elapsed = time.monotonic() - started

    assert response.status_code == 503
    page = response.content.decode()
    assert "took too long" in page
    assert "narrow the filter" in page
    assert "Traceback" not in page
    assert elapsed < 3, f"answered after {elapsed:.1f} s"


def test_the_connection_serves_the_next_request_after_a_timeout(
    web_connection, consultant_with_a_referral
):
    api = api_client_for(consultant_with_a_referral)
    with referral_table_locked():
        assert api.get("/api/v1/queue/").status_code == 503

    response = api.get("/api/v1/queue/")

    assert response.status_code == 200
    assert len(response.json()["results"]) == 1
