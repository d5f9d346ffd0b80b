"""Persistent connections the server has closed (a restart, a failover, pg_terminate_backend)
are replaced at the start of the next request (CONN_HEALTH_CHECKS), not failed.

The requests go through Django's real WSGI handler, as gunicorn calls it: the test client skips
the request_started/request_finished connection housekeeping where the health check happens.
"""

from __future__ import annotations

import time

import psycopg2
import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import RequestFactory

from tests.conftest import require

READY = "/health/ready"


def wsgi_get(path: str) -> tuple[int, bytes]:
    """One request through the WSGI handler, closed as a server closes it."""
    statuses: list[str] = []
    environ = RequestFactory().get(path).environ
    response = WSGIHandler()(environ, lambda status, headers: statuses.append(status))
    try:
        body = b"".join(response)
    finally:
        response.close()
    return int(statuses[0].split()[0]), body


def terminate_backend(pid: int) -> None:
    """What a server restart does to one session: end it from another connection."""
    params = connection.settings_dict
    admin = psycopg2.connect(
        dbname=params["NAME"],
        user=params["USER"],
        password=params["PASSWORD"] or None,
        host=params["HOST"] or "127.0.0.1",
        port=params["PORT"] or 5432,
    )
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline:
                cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
                if cursor.fetchone()[0] == 0:
                    return
                time.sleep(0.05)
        raise AssertionError(f"backend {pid} still alive after pg_terminate_backend")
    finally:
        admin.close()


@pytest.fixture
def persistent_connection(transactional_db, settings):
    """This thread's connection, kept between requests as in production (CONN_MAX_AGE > 0)."""
    require(connection.vendor == "postgresql", "needs PostgreSQL: set DATABASE_URL")
    settings.CELERY_BROKER_URL = "memory://"
    saved = {key: connection.settings_dict[key] for key in ("CONN_MAX_AGE", "CONN_HEALTH_CHECKS")}
    connection.close()
    connection.settings_dict["CONN_MAX_AGE"] = 60
    yield connection.settings_dict
    connection.close()
    connection.settings_dict.update(saved)


def served_by_a_terminated_backend() -> int:
    """A first request opens the kept connection; its backend is then terminated."""
    assert wsgi_get(READY)[0] == 200
    assert connection.connection is not None, "the connection was not kept between requests"
    pid = connection.connection.get_backend_pid()
    terminate_backend(pid)
    return pid


def test_health_checks_are_on_in_settings():
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


def test_request_after_the_server_closed_the_connection_succeeds(persistent_connection):
    persistent_connection["CONN_HEALTH_CHECKS"] = True
    old_pid = served_by_a_terminated_backend()

    status, body = wsgi_get(READY)

    assert status == 200, body
    assert connection.connection.get_backend_pid() != old_pid


def test_without_health_checks_the_same_request_fails(persistent_connection):
    # The failure CONN_HEALTH_CHECKS prevents: the dead connection is used as it is.
    persistent_connection["CONN_HEALTH_CHECKS"] = False
    served_by_a_terminated_backend()

    status, body = wsgi_get(READY)

    assert status == 503
    assert b'"database"' in body
