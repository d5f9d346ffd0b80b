"""Health endpoints for the orchestrator (docs/product.md §7, Health; docs/operations.md).

- ``GET /health/live``: 200 for as long as the process serves requests. It touches nothing
  else, so a database outage never gets the web containers restarted.
- ``GET /health/ready``: 200 when the database answers with every migration applied and the
  broker answers; otherwise 503, with a JSON body naming what failed (``database``,
  ``migrations``, ``broker``). With no broker configured (tasks in-process) the broker is not
  required.

Plain Django views, no authentication, no session, no audit: they read no patient data, and
the body names checks only (the causes go to the log, never to an anonymous caller). They are
exempt from sign-in (``login_not_required``) and, being outside DRF, from API throttling;
``SECURE_REDIRECT_EXEMPT`` lets a container probe them over plain HTTP.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.loader import MigrationLoader
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from kombu import Connection

logger = logging.getLogger(__name__)

OK = "ok"
FAILED = "failed"
NOT_CHECKED = "not checked"
NOT_CONFIGURED = "not configured"
# The broker ping waits this long at most; the probe's own timeout is longer (docker-compose).
BROKER_TIMEOUT_SECONDS = 1


def database_answers(using: str = DEFAULT_DB_ALIAS) -> bool:
    """One round trip. A connection the server closed is replaced first (CONN_HEALTH_CHECKS)."""
    try:
        with connections[using].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        logger.warning("Readiness: the database did not answer: %s", exc)
        return False
    return True


def unapplied_migrations(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Every migration on disk not recorded as applied, holes included (``migrate --check``
    looks only past each app's last applied migration). Squashed migrations count as applied
    once all they replace are."""
    loader = MigrationLoader(connections[using], ignore_no_migrations=True)
    return sorted(
        f"{app}.{name}"
        for app, name in loader.graph.nodes
        if (app, name) not in loader.applied_migrations
    )


def broker_answers() -> bool | None:
    """Ping the Celery broker once, with a short timeout; None when none is configured."""
    url = settings.CELERY_BROKER_URL
    if not url or url.startswith("memory://"):
        return None
    options = {
        **getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}),
        "socket_timeout": BROKER_TIMEOUT_SECONDS,
        "socket_connect_timeout": BROKER_TIMEOUT_SECONDS,
    }
    try:
        with Connection(
            url, connect_timeout=BROKER_TIMEOUT_SECONDS, transport_options=options
        ) as broker:
            # For Redis, opening the channel sends PING.
            broker.ensure_connection(
                max_retries=1, interval_start=0, timeout=BROKER_TIMEOUT_SECONDS
            )
    except Exception as exc:
        logger.warning("Readiness: the broker did not answer: %s", exc)
        return False
    return True


@login_not_required
@never_cache
@require_safe
def live(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": OK})


@login_not_required
@never_cache
@require_safe
def ready(request: HttpRequest) -> JsonResponse:
    checks: dict[str, str] = {"database": OK, "migrations": OK, "broker": OK}
    if not database_answers():
        checks["database"] = FAILED
        checks["migrations"] = NOT_CHECKED
    else:
        try:
            pending = unapplied_migrations()
        except Exception as exc:
            logger.warning("Readiness: the migration state could not be read: %s", exc)
            pending = ["(unreadable)"]
        if pending:
            logger.warning(
                "Readiness: %d unapplied migration(s): %s", len(pending), ", ".join(pending[:5])
            )
            checks["migrations"] = FAILED
    broker = broker_answers()
    checks["broker"] = NOT_CONFIGURED if broker is None else (OK if broker else FAILED)
    failed = [name for name, state in checks.items() if state == FAILED]
    return JsonResponse(
        {"status": "unavailable" if failed else OK, "failed": failed, "checks": checks},
        status=503 if failed else 200,
    )
