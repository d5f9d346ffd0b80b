"""The queue over HTTP: page 1 for every role, deep pages, throughput and the browser page,
each beside the same SQL replayed raw and the login page (the Django floor of the same run);
under PostgreSQL's default planner settings and the documented ones (``plans``), with the plan
of each shape printed and any sequential scan of the referral table flagged."""

from __future__ import annotations

from django.conf import settings as django_settings
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from core.keyset import keyset_encode
from devtools.benchmark import harness as bm
from devtools.benchmark import plans
from devtools.benchmark.report import Report, verdict
from devtools.benchmark.subjects import bench_community_clinician, bench_users
from directory.models import User
from triage.models import QUEUE_Q, Referral
from triage.selectors import QUEUE_ORDER, queue_for_user

SLOW_MS = 50
ROLE_P95_MS = 15
FLOOR_RATIO = 4  # a role's page-1 p95 against the login page's
RAW_RATIO = 3  # p99 against the raw SQL's


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
    return f"{django_settings.SESSION_COOKIE_NAME}={session.session_key}"


def _cursor_at(queryset, offset: int) -> str:
    row = queryset.order_by(*QUEUE_ORDER).values_list(*QUEUE_ORDER)[offset]
    return keyset_encode(list(row), "n")


def _shapes(manager, consultant, gp, community, provider, tf) -> list[tuple]:
    """(name, user, query string) of every page-1 shape measured."""
    service = f"provider={provider.ods_code}&treatment_function={tf}"
    gp_open = Referral.objects.filter(QUEUE_Q, referring_practice_id=gp.organisation_id).count()
    panels = community.panel_memberships.count()
    return [
        ("manager, filter: none", manager, ""),
        ("manager, filter: provider", manager, f"provider={provider.ods_code}"),
        ("manager, filter: provider + treatment function", manager, service),
        ("consultant, provider + treatment function (audited)", consultant, service),
        (f"GP, practice of {gp_open:,} open referrals, no filter (audited)", gp, ""),
        (f"community clinician on {panels} panels, no filter (audited)", community, ""),
    ]


class _Run:
    """One settings mode's measurements, sharing the server, the in-process client and the
    report."""

    def __init__(self, report: Report, *, port: int, mode: str, runs: int, stdout):
        self.report, self.port, self.mode, self.runs, self.stdout = (
            report,
            port,
            mode,
            runs,
            stdout,
        )
        self.settings = plans.SETTINGS[mode]
        self.client = Client()
        self.tokens: dict[int, str] = {}
        self.seq_scans: list[str] = []

    def headers(self, user: User) -> dict[str, str]:
        if user.pk not in self.tokens:
            self.tokens[user.pk] = bm.api_token(user)
        return {"Authorization": f"Token {self.tokens[user.pk]}"}

    def raw_and_plan(self, user: User, path: str, name: str) -> bm.Timing:
        self.client.force_login(user)
        sql = _captured_queue_sql(self.client, path)
        raw = plans.raw_sql_timing(sql, runs=self.runs, settings=self.settings)
        plan = plans.explain(sql, self.settings)
        scans = plans.sequential_scans(plan)
        if scans:
            self.seq_scans.append(name)
        flag = " ** SEQUENTIAL SCAN OF triage_referral **" if scans else ""
        self.stdout.write(f"\n-- plan ({self.mode} settings): {name}{flag}\n{plan}\n")
        return raw

    def page_one(self, name: str, user: User, query: str, floor: bm.Timing) -> bm.Timing:
        path = f"/api/v1/queue/?{query}"
        app = bm.http_timing(self.port, path, self.headers(user), runs=self.runs)
        raw = self.raw_and_plan(user, path, name)
        ok = (
            app.p95 <= ROLE_P95_MS
            and app.p95 <= FLOOR_RATIO * floor.p95
            and app.p99 <= RAW_RATIO * raw.p99
        )
        self.report.add(
            f"queue API page 1, {name} ({self.mode} settings; ms p50/p95/p99)",
            f"{app.summary()} ({app.p95 / floor.p95:.1f}× login p95)",
            f"{raw.summary()} (p99 {app.p99 / raw.p99:.1f}×)",
            f"p95 ≤ {ROLE_P95_MS} ms and ≤ {FLOOR_RATIO}× login; p99 ≤ {RAW_RATIO}× raw",
            verdict(ok),
        )
        self.stdout.write(f"  {name} [{self.mode}]: app {app.summary()} raw {raw.summary()}\n")
        return app


def measure_queue(report: Report, *, runs: int, stdout, modes=("default", "documented")) -> None:
    manager, consultant, gp, _icb, provider, tf = bench_users()
    community = bench_community_clinician(provider)
    shapes = _shapes(manager, consultant, gp, community, provider, tf)
    for mode in modes:
        options = (
            f"-c log_min_duration_statement={SLOW_MS} {plans.pg_options(plans.SETTINGS[mode])}"
        )
        with (
            bm.slow_statements(SLOW_MS) as slow,
            bm.gunicorn_server(env_extra={"PGOPTIONS": options}) as port,
        ):
            run = _Run(report, port=port, mode=mode, runs=runs, stdout=stdout)
            floor = bm.http_timing(port, "/login/", {}, runs=runs)
            report.add(
                f"login page, the Django floor of this run ({mode} settings; ms p50/p95/p99)",
                floor.summary(),
            )
            page_one = {
                name: run.page_one(name, user, query, floor) for name, user, query in shapes
            }
            _deep_pages(run, manager, page_one[shapes[0][0]])
            _throughput_and_browser(run, manager, provider, page_one[shapes[1][0]])
        report.add(
            f"sequential scans of the referral table in the request plans ({mode} settings)",
            ", ".join(run.seq_scans) or "none",
            "",
            "none",
            verdict(not run.seq_scans),
        )
        lines = [line for line in slow if "duration:" in line]
        report.add(
            f"SQL statements over {SLOW_MS} ms on the request path ({mode} settings)",
            str(len(lines)),
            "",
            "0",
            verdict(not lines),
        )
        report.notes.extend(f"slow statement ({mode}): {line[:300]}" for line in slow[:5])


def _deep_pages(run: _Run, manager: User, page_one: bm.Timing) -> None:
    visible = queue_for_user(manager)
    total = visible.count()
    deep_position = min(100_000, total - 51)
    deep = {
        f"position {deep_position:,}": _cursor_at(visible, deep_position),
        "last page": _cursor_at(visible, total - 51),
    }
    for name, cursor in deep.items():
        path = f"/api/v1/queue/?cursor={cursor}"
        app = bm.http_timing(run.port, path, run.headers(manager), runs=run.runs)
        raw = run.raw_and_plan(manager, path, f"manager, {name}")
        run.report.add(
            f"queue API {name} of {total:,}, manager ({run.mode} settings; ms p50/p95/p99)",
            app.summary(),
            raw.summary(),
            "p95 ≤ 1.25× page 1",
            verdict(app.p95 <= 1.25 * page_one.p95),
        )


def _throughput_and_browser(run: _Run, manager: User, provider, api: bm.Timing) -> None:
    query = f"provider={provider.ods_code}"
    rps = bm.http_throughput(
        run.port, f"/api/v1/queue/?{query}", run.headers(manager), seconds=10, clients=4
    )
    run.report.add(
        f"queue API throughput, 4 clients, 2 gunicorn workers ({run.mode} settings; requests/s)",
        f"{rps:.0f}",
    )
    browser = bm.http_timing(
        run.port, f"/triage/queue/?{query}", {"Cookie": _session_cookie(manager)}, runs=run.runs
    )
    run.report.add(
        f"browser queue page, filter: provider ({run.mode} settings; ms p50/p95/p99)",
        browser.summary(),
        f"API {api.summary()}",
        "p95 ≤ 2× API",
        verdict(browser.p95 <= 2 * api.p95),
    )
