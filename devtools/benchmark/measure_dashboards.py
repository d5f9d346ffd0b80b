"""The dashboards at scale (``manage.py benchmark --dashboards``; docs/benchmarks.md): the
daily snapshot job's time, and every dashboard request's latency (API and pages, as the ICB's
manager and as an administrator, who sees every ICB) over a year of snapshots."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.utils import timezone

from dashboards.services import snapshot_take
from devtools.benchmark import harness as bm
from devtools.benchmark.report import Report, verdict
from devtools.benchmark.subjects import bench_users
from devtools.demo.dashboards import backfill_history
from directory.models import Role, User

SNAPSHOT_TABLES = (
    "dashboards_servicesnapshot",
    "dashboards_diagnosticsnapshot",
    "dashboards_budgetsnapshot",
    "dashboards_compliancesnapshot",
    "dashboards_snapshotday",
)
API_TARGET_MS = 100
PAGE_TARGET_MS = 250
SNAPSHOT_TARGET_S = 120


def _session_cookie(user: User) -> str:
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def _requests(provider: str, function: str) -> list[tuple[str, str, bool]]:
    """(label, path, is_api) of every dashboard request measured."""
    narrowed = f"provider={provider}&treatment_function={function}"
    return [
        ("API backlog/", "/api/v1/dashboard/backlog/", True),
        (
            "API backlog/, provider + treatment function",
            f"/api/v1/dashboard/backlog/?{narrowed}",
            True,
        ),
        ("API services/", "/api/v1/dashboard/services/", True),
        ("API forecast/ (26 weeks)", "/api/v1/dashboard/forecast/", True),
        ("API forecast/, extra capacity", "/api/v1/dashboard/forecast/?extra_capacity=50", True),
        ("API trends/", "/api/v1/dashboard/trends/", True),
        ("API trends/ as CSV (every day)", "/api/v1/dashboard/trends/?format=csv", True),
        ("page overview", "/dashboard/", False),
        ("page overview, provider + treatment function", f"/dashboard/?{narrowed}", False),
        ("page services", "/dashboard/services/", False),
        ("page forecast", "/dashboard/forecast/", False),
        ("page board report", "/dashboard/report/", False),
    ]


def measure_dashboards(report: Report, *, runs: int, stdout, seed: int = 2026) -> None:
    manager, _, _, _icb, provider, function = bench_users()
    admin, _ = User.objects.update_or_create(
        username="bench.admin", defaults={"role": Role.ADMIN, "organisation": None}
    )
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(SNAPSHOT_TABLES)} RESTART IDENTITY")
    started = time.perf_counter()
    taken = snapshot_take()
    seconds = time.perf_counter() - started
    report.add(
        f"dashboard snapshot job, one day ({taken.services:,} services)",
        f"{seconds:.2f} s",
        "",
        f"≤ {SNAPSHOT_TARGET_S} s",
        verdict(seconds <= SNAPSHOT_TARGET_S),
    )
    started = time.perf_counter()
    again = snapshot_take()
    report.add(
        "dashboard snapshot job, second run the same day (does nothing)",
        f"{(time.perf_counter() - started) * 1000:.1f} ms",
        "",
        "nothing written",
        verdict(not again.taken),
    )
    stdout.write(f"  snapshot: {taken.summary()}\n")
    rows = backfill_history(today=timezone.localdate(), seed=seed)
    bm.vacuum_analyze()
    stdout.write(f"  a year of history: {rows:,} service rows\n")
    subjects = {
        "manager": (manager, bm.api_token(manager), _session_cookie(manager)),
        "administrator": (admin, bm.api_token(admin), _session_cookie(admin)),
    }
    with bm.gunicorn_server() as port:
        for label, path, is_api in _requests(provider.ods_code, function):
            for who, (_, token, cookie) in subjects.items():
                headers = {"Authorization": f"Token {token}"} if is_api else {"Cookie": cookie}
                timing = bm.http_timing(port, path, headers, runs=runs)
                target = API_TARGET_MS if is_api else PAGE_TARGET_MS
                report.add(
                    f"dashboard {label}, {who} (ms p50/p95/p99)",
                    timing.summary(),
                    "",
                    f"p95 ≤ {target} ms",
                    verdict(timing.p95 <= target),
                )
                stdout.write(f"  {label} {who}: {timing.summary()}\n")
