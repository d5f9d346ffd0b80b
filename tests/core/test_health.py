"""GET /health/live and /health/ready (docs/product.md §7, Health): no sign-in, no session, no
audit, never throttled; ready names what failed (database, migrations, broker)."""

from __future__ import annotations

import contextlib
import os
import socket

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from rest_framework.throttling import SimpleRateThrottle

from audit.models import AuditEvent
from tests.conftest import require

pytestmark = pytest.mark.django_db
LIVE = "/health/live"
READY = "/health/ready"


def closed_port() -> int:
    """A loopback port nothing listens on: bound, then released."""
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_live_answers_200_to_anyone(client):
    response = client.get(LIVE)

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_ready_answers_200_when_database_migrations_and_broker_answer(client):
    # Whatever this run has: the real Redis broker under CI (CELERY_BROKER_URL), else none.
    response = client.get(READY)

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["failed"] == []
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["migrations"] == "ok"
    assert body["checks"]["broker"] in {"ok", "not configured"}


def test_ready_pings_a_real_redis_broker(client, settings):
    broker = os.environ.get("CELERY_BROKER_URL", "")
    require(broker.startswith("redis://"), "needs a Redis broker: set CELERY_BROKER_URL")
    settings.CELERY_BROKER_URL = broker

    response = client.get(READY)

    assert response.status_code == 200
    assert response.json()["checks"]["broker"] == "ok"


def test_ready_does_not_require_a_broker_when_none_is_configured(client, settings):
    # Without CELERY_BROKER_URL tasks run in-process (settings: memory://).
    settings.CELERY_BROKER_URL = "memory://"

    response = client.get(READY)

    assert response.status_code == 200
    assert response.json()["checks"]["broker"] == "not configured"


def test_ready_answers_503_naming_the_broker_when_it_does_not_answer(client, settings):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{closed_port()}/0"

    response = client.get(READY)

    assert response.status_code == 503
    assert response.json()["failed"] == ["broker"]
    assert response.json()["checks"]["database"] == "ok"


def test_ready_answers_503_naming_migrations_when_one_is_unapplied(client, settings):
    settings.CELERY_BROKER_URL = "memory://"
    # As if the code were deployed before `migrate` ran: its record is gone (rolled back with
    # the test's transaction).
    MigrationRecorder.Migration.objects.filter(app="sessions", name="0001_initial").delete()

    response = client.get(READY)

    assert response.status_code == 503
    assert response.json()["failed"] == ["migrations"]


def test_ready_body_names_checks_but_not_their_causes(client, settings):
    # The caller is anonymous: host names and error texts go to the log, not to them.
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{closed_port()}/0"

    body = client.get(READY).content.decode()

    assert "127.0.0.1" not in body
    assert "refused" not in body.lower()


@pytest.mark.parametrize("path", [LIVE, READY])
def test_health_sets_no_cookie_and_writes_no_audit(client, settings, path):
    settings.CELERY_BROKER_URL = "memory://"

    response = client.get(path)

    assert response.status_code == 200
    assert not response.cookies
    assert AuditEvent.objects.count() == 0


def test_health_is_not_throttled_like_the_anonymous_api(client, monkeypatch):
    cache.clear()
    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {"user": "2/minute", "anon": "2/minute"}
    )

    statuses = {client.get(LIVE).status_code for _ in range(10)}

    cache.clear()
    assert statuses == {200}


def test_health_answers_get_only(client):
    assert client.post(LIVE).status_code == 405


@pytest.mark.django_db(transaction=True)
def test_ready_answers_503_naming_the_database_when_it_does_not_answer(client, settings):
    require(connection.vendor == "postgresql", "needs PostgreSQL: set DATABASE_URL")
    settings.CELERY_BROKER_URL = "memory://"
    port = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = closed_port()
    try:
        response = client.get(READY)
    finally:
        connection.close()
        connection.settings_dict["PORT"] = port

    assert response.status_code == 503
    assert response.json()["failed"] == ["database"]
    assert response.json()["checks"]["migrations"] == "not checked"
