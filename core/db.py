"""Bounded statements: every PostgreSQL session gets a ``statement_timeout`` fitting its process.

A web request must answer well inside gunicorn's worker timeout, whatever the planner does: one
unlucky plan (a GP queue filtered to P4 on tables never analysed took 22.5 s) must not hold a
worker thread, and two of them must not stall the server. Sweeps, tasks and commands legitimately
run longer, so they get a longer bound of their own (0: none, for the benchmark's bulk loads).

How a connection knows it serves the web: ``interface/wsgi.py`` and ``interface/asgi.py`` call
:func:`serve_web` before they build the application, so every process that serves HTTP
(gunicorn, uvicorn, ``runserver``) is marked, and nothing else is (``manage.py``, the Celery
worker and beat, pytest). :func:`statement_timeout_set`, connected to ``connection_created`` by
``CoreConfig.ready()``, then sets the session's timeout as each connection opens, once per
connection (they are persistent, ``CONN_MAX_AGE``), not once per request.

A statement cancelled by the timeout (SQLSTATE 57014) raises ``OperationalError`` in the view;
:class:`StatementTimeoutMiddleware` answers it with a clean 503, JSON under ``/api/`` and the
site's error page elsewhere, never a traceback. Also :func:`analyze`, the planner statistics a
bulk write leaves stale.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

WEB = "web"
BATCH = "batch"
# PostgreSQL's SQLSTATE for a statement cancelled (by statement_timeout, or pg_cancel_backend).
QUERY_CANCELED = "57014"
TIMEOUT_MESSAGE = (
    "The request took too long and was stopped. Try again in a moment, or narrow the filter."
)

_role = BATCH


def serve_web() -> None:
    """Mark this process as serving web requests: its connections get the web timeout."""
    global _role
    _role = WEB


def process_role() -> str:
    return _role


def process_role_set(role: str) -> None:
    """Set the role explicitly (tests, or a server entry point other than wsgi/asgi)."""
    global _role
    if role not in (WEB, BATCH):
        raise ValueError(f"role: must be {WEB!r} or {BATCH!r}, not {role!r}")
    _role = role


def statement_timeout_ms(role: str | None = None) -> int:
    """The bound for a session of this process (0: none)."""
    if (role or _role) == WEB:
        return settings.WEB_STATEMENT_TIMEOUT_MS
    return settings.BATCH_STATEMENT_TIMEOUT_MS


def statement_timeout_set(sender, connection, **kwargs) -> None:
    """``connection_created`` receiver: SET the session's statement_timeout (PostgreSQL only).

    Session-level, so it survives the transactions the connection runs; behind PgBouncer this
    needs session pooling (in transaction pooling, set it on the database role instead).
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('statement_timeout', %s, false)", [str(statement_timeout_ms())]
        )


def is_statement_timeout(exc: BaseException) -> bool:
    """Whether ``exc`` is a statement PostgreSQL cancelled (Django wraps psycopg2's error)."""
    if not isinstance(exc, OperationalError):
        return False
    cause = exc.__cause__ or exc
    return getattr(cause, "pgcode", None) == QUERY_CANCELED


class StatementTimeoutMiddleware:
    """A view whose statement was cancelled answers 503 with a short explanation.

    The page is rendered without the request's context: the navigation counts would query the
    same tables that just timed out, and must not turn a clean 503 into a 500.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_statement_timeout(exception):
            return None
        logger.warning(
            "Statement cancelled after the %s ms web timeout: %s %s",
            settings.WEB_STATEMENT_TIMEOUT_MS,
            request.method,
            request.path,
        )
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": TIMEOUT_MESSAGE}, status=503)
        return HttpResponse(render_to_string("503.html", {"message": TIMEOUT_MESSAGE}), status=503)


# ANALYZE a table after a write once the write changed this share of its rows: autovacuum's
# own default (autovacuum_analyze_scale_factor).
ANALYZE_SCALE_FACTOR = 0.1


def analyze_outdated(written: dict[str, int], *, using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """ANALYZE those tables of ``written`` (table: rows the write changed) whose statistics it
    outdated, by autovacuum's rule (more than a tenth of the rows the planner believes the
    table holds, or a table never analysed), now rather than at autovacuum's next turn, or
    never where it is off. A small write into a big table keeps its statistics good and costs
    no ANALYZE. Returns the tables analysed."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples FROM pg_class WHERE relname = ANY(%s) AND relkind = 'r'",
            [list(written)],
        )
        believed = dict(cursor.fetchall())
    stale = [
        table
        for table, rows in written.items()
        if rows > 0 and rows > ANALYZE_SCALE_FACTOR * max(believed.get(table, -1), 0)
    ]
    if stale:
        analyze(stale, using=using)
    return stale


def analyze(tables: Iterable[str] = (), *, using: str = DEFAULT_DB_ALIAS) -> None:
    """ANALYZE ``tables`` (all of the database's when none are named) on PostgreSQL.

    After a bulk write the planner's statistics describe the tables before it; on tables never
    analysed it guessed 1 row against 28,953 and chose a nested loop that took 22.5 s. Call it
    after the write commits (ANALYZE inside the write's transaction sees the new rows, but
    holds its locks until the end). The table names are our own constants, never input.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    names = [connection.ops.quote_name(table) for table in tables]
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {', '.join(names)}".rstrip())
