"""Alerts at scale (``python manage.py benchmark --alerts N``): N alerts raised through
``alerts_raise`` (personal alerts to GPs and consultants, team alerts to trusts, a fifth of them
to the busiest trust's team inbox), then the header's unread count, the inbox over HTTP (API
and page, first and deep pages) beside their raw SQL, and the email sweep over a backlog,
followed by a second run that must send nothing.

Runs on the benchmark database after the referrals are seeded (or with ``--reuse``). The
busiest team inbox is ``bench.consultant``'s (the busiest service's trust).
"""

from __future__ import annotations

import random
import time

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from alerts.selectors import alert_page, alerts_visible_to, unread_alert_count
from alerts.services import AlertDraft, alerts_email_immediate_sweep, alerts_raise
from devtools.benchmark import harness as bm
from devtools.benchmark.report import Report, verdict
from devtools.benchmark.subjects import bench_users
from directory.models import Organisation, OrganisationKind, Role, User

KIND = "benchmark.alert"
STAFF_PER_TRUST = 10
BUSIEST_SHARE = 0.2  # of all alerts: team alerts to the busiest trust
TEAM_SHARE = 0.3  # of all alerts: team alerts to the other trusts
READ_PERMILLE = 700  # alerts already read
PENDING_EMAIL = 2_000  # the newest alerts left for the email sweep
SPREAD_MINUTES = 180 * 24 * 60  # alerts raised over the last six months
DEEP_OFFSET = 2_000
UNUSABLE = "!"  # Django's marker of an unusable password: these users never sign in


def _reset() -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM alerts_alert WHERE kind = %s", [KIND])
        cursor.execute(
            "DELETE FROM alerts_alertpreference WHERE user_id IN "
            "(SELECT id FROM directory_user WHERE username LIKE 'bench.alerts.%%')"
        )


def _staff(org_ids: list[int], role: str, per_org: int) -> dict[int, list[int]]:
    """``per_org`` users of ``role`` with an email address at each organisation, made once."""
    usernames = {
        (org_id, i): f"bench.alerts.{role}.{org_id}.{i}"
        for org_id in org_ids
        for i in range(per_org)
    }
    User.objects.bulk_create(
        [
            User(
                username=name,
                role=role,
                organisation_id=org_id,
                email=f"{name}@bench.invalid",
                password=UNUSABLE,
            )
            for (org_id, _), name in usernames.items()
        ],
        ignore_conflicts=True,
        batch_size=5_000,
    )
    found = dict(User.objects.filter(username__in=usernames.values()).values_list("username", "pk"))
    staff: dict[int, list[int]] = {}
    for (org_id, _), name in usernames.items():
        staff.setdefault(org_id, []).append(found[name])
    return staff


def seed_alerts(n: int, *, seed: int = 2026) -> dict:
    """Replace the benchmark's alerts with ``n`` raised through ``alerts_raise``, spread over
    six months; most older ones read and emailed, the newest ``PENDING_EMAIL`` not yet."""
    rng = random.Random(seed)
    _reset()
    _, consultant, gp, _, provider, _ = bench_users()
    User.objects.filter(pk__in=[consultant.pk, gp.pk]).update(email="bench@bench.invalid")
    trusts = list(
        Organisation.objects.filter(kind=OrganisationKind.TRUST).values_list("pk", flat=True)
    )
    practices = list(
        Organisation.objects.filter(kind=OrganisationKind.GP_PRACTICE).values_list("pk", flat=True)
    )
    if not trusts or not practices:
        raise RuntimeError("no organisations: seed the referrals first (or --reuse a seeded one)")
    consultants = _staff(trusts, Role.CONSULTANT, STAFF_PER_TRUST)
    gps = [pk for pks in _staff(practices, Role.GP, 1).values() for pk in pks] + [gp.pk]
    personal = [pk for pks in consultants.values() for pk in pks] + gps

    def drafts():
        for i in range(n):
            roll = rng.random()
            target: dict = {"recipient_id": rng.choice(personal)}
            if roll < BUSIEST_SHARE:
                target = {"organisation_id": provider.pk}
            elif roll < BUSIEST_SHARE + TEAM_SHARE:
                target = {"organisation_id": rng.choice(trusts)}
            yield AlertDraft(
                kind=KIND,
                key=f"{KIND}:{i}",
                subject="A benchmark alert needs you",
                link="/triage/queue/",
                **target,
            )

    started = time.perf_counter()
    raised = alerts_raise(drafts())
    seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE alerts_alert SET created_at = %s - ((id * 7919) %% %s) * interval '1 minute' "
            "WHERE kind = %s",
            [timezone.now(), SPREAD_MINUTES, KIND],
        )
        cursor.execute(
            "UPDATE alerts_alert SET read_at = created_at + interval '1 hour' "
            "WHERE kind = %s AND (id * 31) %% 1000 < %s",
            [KIND, READ_PERMILLE],
        )
        cursor.execute(
            "UPDATE alerts_alert SET emailed_at = created_at, email_outcome = 'sent' "
            "WHERE kind = %s AND id <= (SELECT max(id) FROM alerts_alert) - %s",
            [KIND, PENDING_EMAIL],
        )
        cursor.execute("VACUUM (ANALYZE) alerts_alert")
    team = alerts_visible_to(consultant).count()
    return {"alerts": raised, "seconds": seconds, "busiest_inbox": team}


def _captured_sql(client: Client, path: str) -> str:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, response.content[:300]
    return next(
        q["sql"]
        for q in captured.captured_queries
        if 'FROM "alerts_alert"' in q["sql"] and "LIMIT" in q["sql"] and "COUNT" not in q["sql"]
    )


def _deep_paths(client: Client, consultant: User) -> dict[str, str]:
    """A page ``DEEP_OFFSET`` alerts into the busiest inbox, in the API and the browser."""
    api_path = "/api/v1/alerts/?page_size=200"
    for _ in range(DEEP_OFFSET // 200):
        api_path = client.get(api_path).json()["next"].split("testserver", 1)[1]
    page, cursor = None, None
    for _ in range(DEEP_OFFSET // 50):
        page = alert_page(user=consultant, cursor=cursor, page_size=50)
        cursor = page.next_cursor
    return {
        "API": api_path.replace("page_size=200", "page_size=50"),
        "page": f"/alerts/?cursor={cursor}",
    }


def measure_alerts(report: Report, *, seeded: dict | None, runs: int, stdout) -> None:
    if seeded:
        report.add(
            f"raise {seeded['alerts']:,} alerts through alerts_raise "
            f"(busiest team inbox {seeded['busiest_inbox']:,})",
            f"{seeded['seconds']:.1f} s ({seeded['alerts'] / seeded['seconds']:,.0f} alerts/s)",
        )
    _, consultant, gp, _, _, _ = bench_users()
    for who, user in (("busiest team inbox", consultant), ("a GP", gp)):
        with CaptureQueriesContext(connection) as captured:
            unread_alert_count(user)
        app = bm.time_calls(lambda user=user: unread_alert_count(user), runs=runs)
        raw = bm.raw_sql_timing(captured.captured_queries[-1]["sql"], runs=runs)
        report.add(
            f"alerts: header unread count, {who} (ms p50/p95/p99, in process)",
            app.summary(),
            raw.summary(),
            "p95 ≤ 3 ms",
            verdict(app.p95 <= 3),
        )
        stdout.write(f"  unread count, {who}: app {app.summary()} raw {raw.summary()}\n")
    in_process = Client()
    in_process.force_login(consultant)
    deep = _deep_paths(in_process, consultant)
    token = bm.api_token(consultant)
    paths = {
        "API page 1": ("/api/v1/alerts/", {"Authorization": f"Token {token}"}),
        "API page 1, unread": ("/api/v1/alerts/?unread=true", {"Authorization": f"Token {token}"}),
        f"API {DEEP_OFFSET:,} alerts deep": (deep["API"], {"Authorization": f"Token {token}"}),
    }
    cookie = {"Cookie": _session_cookie(consultant)}
    pages = {
        "inbox page 1": ("/alerts/", cookie),
        f"inbox page {DEEP_OFFSET:,} alerts deep": (deep["page"], cookie),
    }
    # A page carries the whole site's header and navigation (every app's counts), so its
    # target is wider than the API's.
    targets = dict.fromkeys(paths, 20) | dict.fromkeys(pages, 50)
    with bm.gunicorn_server() as port:
        for name, (path, headers) in {**paths, **pages}.items():
            app = bm.http_timing(port, path, headers, runs=runs)
            raw = bm.raw_sql_timing(_captured_sql(in_process, path), runs=runs)
            ok = app.p95 <= targets[name] and app.p99 <= 3 * raw.p99 + targets[name]
            report.add(
                f"alerts {name}, busiest team inbox, 50 rows (ms p50/p95/p99)",
                app.summary(),
                raw.summary(),
                f"p95 ≤ {targets[name]} ms; p99 ≤ 3× raw + {targets[name]} ms",
                verdict(ok),
            )
            stdout.write(f"  {name}: app {app.summary()} raw {raw.summary()}\n")
    _measure_email_sweep(report, stdout)


def _session_cookie(user: User) -> str:
    """A signed-in session for the inbox page, without a sign-in form."""
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def _measure_email_sweep(report: Report, stdout) -> None:
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        mail.outbox = []
        started = time.perf_counter()
        first = alerts_email_immediate_sweep()
        first_seconds = time.perf_counter() - started
        started = time.perf_counter()
        second = alerts_email_immediate_sweep()
        second_seconds = time.perf_counter() - started
        mail.outbox = []
    report.add(
        f"alerts email sweep over {PENDING_EMAIL:,} alerts (s; in-memory mail backend)",
        f"{first_seconds:.2f} ({first})",
        "",
        "≤ 30 s",
        verdict(first_seconds <= 30),
    )
    report.add(
        "alerts email sweep, second run (s; must send nothing)",
        f"{second_seconds:.3f} ({second})",
        "",
        "0 looked at; ≤ 1 s",
        verdict(second.startswith("0 alert(s)") and second_seconds <= 1),
    )
    stdout.write(f"  email sweep: {first} in {first_seconds:.2f} s; then {second}\n")
