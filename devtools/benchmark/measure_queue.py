"""The queue over HTTP: page 1 by filter and role, deep pages, throughput and the browser page,
each beside the same SQL run raw; and any slow statement on the request path."""

from __future__ import annotations

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from core.keyset import keyset_encode
from devtools.benchmark import harness as bm
from devtools.benchmark.report import Report, verdict
from devtools.benchmark.subjects import bench_users
from directory.models import User
from triage.selectors import QUEUE_ORDER, queue_for_user

SLOW_MS = 50


def _captured_queue_sql(client: Client, path: str) -> str:
    """The queue SELECT the application sends for ``path``, as executed."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, response.content[:300]
    statements = [
        q["sql"]
        for q in captured.captured_queries
        if 'FROM "triage_referral"' in q["sql"] and "LIMIT" in q["sql"]
    ]
    return statements[0]


def _session_cookie(user: User) -> str:
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def _cursor_at(queryset, offset: int) -> str:
    row = queryset.order_by(*QUEUE_ORDER).values_list(*QUEUE_ORDER)[offset]
    return keyset_encode(list(row), "n")


def measure_queue(report: Report, *, runs: int, stdout) -> None:
    manager, consultant, gp, _icb, provider, tf = bench_users()
    token = bm.api_token(manager)
    clinician_token = bm.api_token(consultant)
    in_process = Client()
    in_process.force_login(manager)
    shapes = {
        "none": "",
        "provider": f"provider={provider.ods_code}",
        "provider + treatment function": f"provider={provider.ods_code}&treatment_function={tf}",
    }
    pg_options = f"-c log_min_duration_statement={SLOW_MS}"
    with (
        bm.slow_statements(SLOW_MS) as slow,
        bm.gunicorn_server(env_extra={"PGOPTIONS": pg_options}) as port,
    ):
        headers = {"Authorization": f"Token {token}"}
        page_one = {}
        for name, query in shapes.items():
            path = f"/api/v1/queue/?{query}"
            app = bm.http_timing(port, path, headers, runs=runs)
            raw = bm.raw_sql_timing(_captured_queue_sql(in_process, path), runs=runs)
            page_one[name] = app
            ok = app.p95 <= 15 and app.p99 <= 3 * raw.p99
            report.add(
                f"queue API page 1 (50 rows), filter: {name}, manager (ms p50/p95/p99)",
                app.summary(),
                raw.summary(),
                "p95 ≤ 15 ms; p99 ≤ 3× raw",
                verdict(ok),
            )
            stdout.write(f"  queue {name}: app {app.summary()} raw {raw.summary()}\n")
        path = f"/api/v1/queue/?{shapes['provider + treatment function']}"
        clinician = bm.http_timing(
            port, path, {"Authorization": f"Token {clinician_token}"}, runs=runs
        )
        report.add(
            "queue API page 1, provider + treatment function, consultant (identifiable rows, audited)",
            clinician.summary(),
            "",
            "p95 ≤ 15 ms",
            verdict(clinician.p95 <= 15),
        )
        gp_token = bm.api_token(gp)
        gp_timing = bm.http_timing(
            port, "/api/v1/queue/", {"Authorization": f"Token {gp_token}"}, runs=runs
        )
        in_process.force_login(gp)
        gp_raw = bm.raw_sql_timing(_captured_queue_sql(in_process, "/api/v1/queue/"), runs=runs)
        in_process.force_login(manager)
        report.add(
            "queue API page 1, no filter, GP of the busiest practice (identifiable rows, audited)",
            gp_timing.summary(),
            gp_raw.summary(),
            "p95 ≤ 15 ms; p99 ≤ 3× raw",
            verdict(gp_timing.p95 <= 15 and gp_timing.p99 <= 3 * gp_raw.p99),
        )
        stdout.write(f"  queue GP: app {gp_timing.summary()} raw {gp_raw.summary()}\n")
        visible = queue_for_user(manager)
        total = visible.count()
        deep_position = min(100_000, total - 51)
        deep = {
            f"position {deep_position:,}": _cursor_at(visible, deep_position),
            "last page": _cursor_at(visible, total - 51),
        }
        for name, cursor in deep.items():
            deep_path = f"/api/v1/queue/?cursor={cursor}"
            app = bm.http_timing(port, deep_path, headers, runs=runs)
            raw = bm.raw_sql_timing(_captured_queue_sql(in_process, deep_path), runs=runs)
            ok = app.p95 <= 1.25 * page_one["none"].p95
            report.add(
                f"queue API {name} of {total:,} (ms p50/p95/p99)",
                app.summary(),
                raw.summary(),
                "p95 ≤ 1.25× page 1",
                verdict(ok),
            )
            stdout.write(f"  queue {name}: app {app.summary()} raw {raw.summary()}\n")
        rps = bm.http_throughput(
            port, f"/api/v1/queue/?{shapes['provider']}", headers, seconds=10, clients=4
        )
        report.add("queue API throughput, 4 clients, 2 gunicorn workers (requests/s)", f"{rps:.0f}")
        browser_headers = {"Cookie": _session_cookie(manager)}
        browser = bm.http_timing(
            port, f"/triage/queue/?{shapes['provider']}", browser_headers, runs=runs
        )
        ok = browser.p95 <= 2 * page_one["provider"].p95
        report.add(
            "browser queue page, filter: provider (ms p50/p95/p99)",
            browser.summary(),
            f"API {page_one['provider'].summary()}",
            "p95 ≤ 2× API",
            verdict(ok),
        )
    report.add(
        f"SQL statements over {SLOW_MS} ms on the request path (log_min_duration_statement)",
        str(len([line for line in slow if "duration:" in line])),
        "",
        "0",
        verdict(not [line for line in slow if "duration:" in line]),
    )
    report.notes.extend(f"slow statement: {line[:300]}" for line in slow[:5])
