"""Diagnostics at scale (``python manage.py benchmark --diagnostics-bookings N``): bookings
written with COPY, the free-slot search and the results worklist over HTTP beside their raw
SQL, and the result-alert sweep's first run and a second run that must write nothing.

Runs on the benchmark database after the referrals are seeded (or with ``--reuse``): the
bookings are for the patients already there, requested by a GP of each patient's practice.
"""

from __future__ import annotations

import math
import random
import time
import uuid
from datetime import datetime, timedelta

from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from devtools.benchmark import harness as bm
from devtools.benchmark.report import Report, verdict
from diagnostics.selectors import test_types
from diagnostics.services import ALERT_KIND, result_alerts_sweep
from directory.models import Organisation, OrganisationKind, Patient, Role, User
from triage.services.imports import copy_rows

HUBS = 8
CAPACITY = 4
SLOTS_A_DAY = 32  # every 15 minutes from 08:00
DAYS_BEFORE, DAYS_AFTER = 120, 60  # slots from four months ago to two months ahead
CHUNK = 50_000
UNUSABLE = "!"  # Django's marker of an unusable password: these GPs never sign in

SLOT_COLUMNS = (
    "uuid",
    "hub_id",
    "test_type_id",
    "starts_at",
    "capacity",
    "booked",
    "created_by_id",
    "created_at",
)
BOOKING_COLUMNS = (
    "uuid",
    "patient_id",
    "test_type_id",
    "slot_id",
    "requester_id",
    "requester_organisation_id",
    "reason",
    "requested_at",
    "status",
    "attended_at",
    "created_at",
    "updated_at",
)
RESULT_COLUMNS = (
    "uuid",
    "booking_id",
    "abnormal",
    "summary",
    "value",
    "unit",
    "reported_at",
    "recorded_by_id",
    "responsible_id",
    "acknowledged_at",
    "acknowledged_by_id",
    "action",
    "created_at",
)


def _reset() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE diagnostics_result, diagnostics_booking, diagnostics_slot "
            "RESTART IDENTITY CASCADE"
        )
        cursor.execute("DELETE FROM alerts_alert WHERE kind = %s", [ALERT_KIND])


def _hubs() -> list[tuple[Organisation, User]]:
    """Eight hubs spread over the benchmark's ICBs, each with one member of staff."""
    icbs = list(Organisation.objects.filter(kind=OrganisationKind.ICB).order_by("ods_code"))
    if not icbs:
        raise RuntimeError("no ICB: seed the referrals first (or use --reuse on a seeded database)")
    hubs = []
    for i in range(HUBS):
        hub, _ = Organisation.objects.update_or_create(
            ods_code=f"BDH{i:02d}",
            defaults={
                "name": f"Benchmark Diagnostic Hub {i}",
                "kind": OrganisationKind.DIAGNOSTIC_HUB,
                "icb": icbs[i % len(icbs)],
            },
        )
        staff, _ = User.objects.update_or_create(
            username=f"bench.hub{i:02d}",
            defaults={"role": Role.DIAGNOSTICS_STAFF, "organisation": hub},
        )
        hubs.append((hub, staff))
    return hubs


def _practice_gps(practice_ids: set[int]) -> dict[int, int]:
    """One requesting GP per practice (practice id → user id), made once."""
    usernames = {pid: f"bench.dgp.{pid}" for pid in practice_ids}
    User.objects.bulk_create(
        [
            User(username=name, role=Role.GP, organisation_id=pid, password=UNUSABLE)
            for pid, name in usernames.items()
        ],
        ignore_conflicts=True,
        batch_size=5_000,
    )
    found = dict(User.objects.filter(username__in=usernames.values()).values_list("username", "pk"))
    return {pid: found[name] for pid, name in usernames.items()}


def seed_diagnostics(n: int, *, seed: int = 2026) -> dict:
    """Replace the diagnostics data with about ``n`` bookings in slots of four places, from
    four months ago to two months ahead: past tests attended (most, with a result, a fifth
    abnormal, most older ones acknowledged), missed or cancelled; future ones booked."""
    rng = random.Random(seed)
    _reset()
    hubs = _hubs()
    kinds = list(test_types().values_list("pk", flat=True))
    patients = list(Patient.objects.values_list("pk", "registered_practice_id"))
    if not patients:
        raise RuntimeError("no patients: seed the referrals first")
    gps = _practice_gps({practice for _, practice in patients})
    now = timezone.now()
    today = timezone.localdate()
    pairs = HUBS * len(kinds)
    slots_needed = math.ceil(n / (CAPACITY - 1))
    per_pair = math.ceil(slots_needed / pairs)
    days = math.ceil(per_pair / SLOTS_A_DAY)
    stride = max(1, (DAYS_BEFORE + DAYS_AFTER) // max(days, 1))
    first_day = today - timedelta(days=DAYS_BEFORE)
    started = time.perf_counter()
    slot_rows, slot_meta = [], []
    for k in range(slots_needed):
        pair, j = k % pairs, k // pairs
        hub, staff = hubs[pair % HUBS]
        kind = kinds[pair // HUBS]
        day = first_day + timedelta(days=(j // SLOTS_A_DAY) * stride)
        minute = 8 * 60 + (j % SLOTS_A_DAY) * 15
        starts_at = timezone.make_aware(
            datetime.combine(day, datetime.min.time()) + timedelta(minutes=minute)
        )
        slot_meta.append((hub.pk, staff.pk, kind, starts_at))
        slot_rows.append([uuid.uuid4(), hub.pk, kind, starts_at, CAPACITY, 0, staff.pk, now])
    bookings, results = [], []
    booked = [0] * len(slot_rows)
    for k in range(n):
        index = k % len(slot_rows)
        _, staff_id, kind, starts_at = slot_meta[index]
        patient_id, practice_id = patients[rng.randrange(len(patients))]
        requester = gps[practice_id]
        requested_at = min(starts_at, now) - timedelta(days=rng.randint(1, 70))
        status, attended_at = "booked", None
        if starts_at < now:
            roll = rng.random()
            if roll < 0.85:
                status, attended_at = "attended", starts_at
            elif roll < 0.93:
                status = "did_not_attend"
            else:
                status = "cancelled"
        if status != "cancelled":
            booked[index] += 1
        bookings.append(
            [
                uuid.uuid4(),
                patient_id,
                kind,
                index + 1,  # slot ids are 1.. after RESTART IDENTITY
                requester,
                practice_id,
                "Benchmark request.",
                requested_at,
                status,
                attended_at,
                requested_at,
                requested_at,
            ]
        )
        if status == "attended" and rng.random() < 0.9:
            reported_at = min(starts_at + timedelta(hours=rng.randint(2, 48)), now)
            acknowledged = reported_at < now - timedelta(days=10) and rng.random() < 0.8
            results.append(
                [
                    uuid.uuid4(),
                    k + 1,  # booking ids are 1.. after RESTART IDENTITY
                    rng.random() < 0.2,
                    "Benchmark result.",
                    f"{rng.uniform(80, 160):.0f}",
                    "g/L",
                    reported_at,
                    staff_id,
                    requester,
                    reported_at + timedelta(days=1) if acknowledged else None,
                    requester if acknowledged else None,
                    "Noted." if acknowledged else "",
                    reported_at,
                ]
            )
    for row, count in zip(slot_rows, booked, strict=True):
        row[5] = min(count, CAPACITY)
    with connection.cursor() as cursor:
        for table, columns, rows in (
            ("diagnostics_slot", SLOT_COLUMNS, slot_rows),
            ("diagnostics_booking", BOOKING_COLUMNS, bookings),
            ("diagnostics_result", RESULT_COLUMNS, results),
        ):
            for start in range(0, len(rows), CHUNK):
                copy_rows(cursor, table, columns, rows[start : start + CHUNK])
        cursor.execute("VACUUM (ANALYZE) diagnostics_slot, diagnostics_booking, diagnostics_result")
    return {
        "slots": len(slot_rows),
        "bookings": len(bookings),
        "results": len(results),
        "seconds": time.perf_counter() - started,
    }


def _captured_sql(client: Client, path: str, table: str) -> str:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, response.content[:300]
    return next(
        q["sql"]
        for q in captured.captured_queries
        if f'FROM "{table}"' in q["sql"] and "LIMIT" in q["sql"]
    )


def _busiest_responsible() -> User:
    row = (
        User.objects.filter(diagnostic_results__acknowledged_at__isnull=True)
        .annotate(n=Count("diagnostic_results"))
        .order_by("-n")
        .first()
    )
    if row is None:
        raise RuntimeError("no unacknowledged results: seed with --diagnostics-bookings first")
    return row


def measure_diagnostics(report: Report, *, seeded: dict | None, runs: int, stdout) -> None:
    if seeded:
        report.add(
            f"seed {seeded['bookings']:,} diagnostic bookings ({seeded['slots']:,} slots, "
            f"{seeded['results']:,} results) with COPY",
            f"{seeded['seconds']:.1f} s ({seeded['bookings'] / seeded['seconds']:,.0f} rows/s)",
        )
    gp = _busiest_responsible()
    hub = Organisation.objects.get(ods_code="BDH00")
    in_process = Client()
    in_process.force_login(gp)
    token = bm.api_token(gp)
    headers = {"Authorization": f"Token {token}"}
    day = timezone.localdate() + timedelta(days=7)
    paths = {
        "free slots, test type + hub": f"/api/v1/diagnostics/slots/?test_type=26604007&hub={hub.ods_code}",
        "free slots, test type + hub + one day": (
            f"/api/v1/diagnostics/slots/?test_type=26604007&hub={hub.ods_code}"
            f"&date_from={day}&date_to={day}"
        ),
        "free slots, no filter": "/api/v1/diagnostics/slots/",
        "results worklist (responsible=me, unacknowledged), audited": (
            "/api/v1/diagnostics/results/?responsible=me&acknowledged=false"
        ),
    }
    with bm.gunicorn_server() as port:
        for name, path in paths.items():
            table = "diagnostics_result" if "results" in path else "diagnostics_slot"
            app = bm.http_timing(port, path, headers, runs=runs)
            raw = bm.raw_sql_timing(_captured_sql(in_process, path, table), runs=runs)
            ok = app.p95 <= 25 and app.p99 <= 3 * raw.p99 + 10
            report.add(
                f"diagnostics API {name} (ms p50/p95/p99)",
                app.summary(),
                raw.summary(),
                "p95 ≤ 25 ms; p99 ≤ 3× raw + 10 ms",
                verdict(ok),
            )
            stdout.write(f"  {name}: app {app.summary()} raw {raw.summary()}\n")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE diagnostics_result SET alerted_at = NULL")
        cursor.execute("DELETE FROM alerts_alert WHERE kind = %s", [ALERT_KIND])
    started = time.perf_counter()
    first = result_alerts_sweep()
    first_seconds = time.perf_counter() - started
    started = time.perf_counter()
    second = result_alerts_sweep()
    second_seconds = time.perf_counter() - started
    report.add(
        "result-alert sweep, first run (s)",
        f"{first_seconds:.2f} ({first})",
        "",
        "≤ 10 s",
        verdict(first_seconds <= 10),
    )
    report.add(
        "result-alert sweep, second run (s; must raise nothing)",
        f"{second_seconds:.3f} ({second})",
        "",
        "0 raised; ≤ 1 s",
        verdict(second.startswith("0 result alert") and second_seconds <= 1),
    )
    stdout.write(f"  sweep: {first} in {first_seconds:.2f} s; then {second}\n")
