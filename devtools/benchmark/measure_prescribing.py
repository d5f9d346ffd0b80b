"""Prescribing at scale (``manage.py benchmark --prescribing N``; issue 13): N prescriptions of
this financial year over the benchmark's patients, one joint budget per ICB (half of them past
80% of their amount, half past 100%), then the reads the dashboards and the budget pages make
and the budget alert sweep, twice.

The prescriptions are written straight in SQL (``INSERT … SELECT generate_series``), each
charged to the budget of its patient's ICB and prescribed in turn by that ICB's benchmark GP,
consultant and community clinician. PostgreSQL only.
"""

from __future__ import annotations

import time
from datetime import datetime
from datetime import time as clock

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from devtools.benchmark import harness as bm
from devtools.benchmark.report import Report, verdict
from directory.models import Organisation, OrganisationKind, Role, User
from prescribing import rules
from prescribing.models import Budget
from prescribing.selectors import budget_breakdown, budget_positions
from prescribing.services.budget_alerts import ALERT_KIND, budget_alerts_sweep

TABLE = "prescribing_prescription"
# Who prescribes, in turn, in each ICB: (role, organisation kind).
PRESCRIBERS = (
    (Role.GP, OrganisationKind.GP_PRACTICE),
    (Role.CONSULTANT, OrganisationKind.TRUST),
    (Role.COMMUNITY_CLINICIAN, OrganisationKind.COMMUNITY_PROVIDER),
)


def reset_prescribing() -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM alerts_alert WHERE kind LIKE %s", ["prescribing.%"])
        cursor.execute(
            "TRUNCATE prescribing_prescriptionitem, prescribing_prescription, "
            "prescribing_monitoringtest, prescribing_sharedcareagreement, "
            "prescribing_budget_committee, prescribing_budget RESTART IDENTITY CASCADE"
        )


def _prescriber(icb: Organisation, role: str, kind: str) -> User:
    organisation = Organisation.objects.filter(icb=icb, kind=kind).order_by("id").first()
    if organisation is None:  # the benchmark seeds no community providers: one per ICB
        organisation, _ = Organisation.objects.update_or_create(
            ods_code=f"BC{icb.ods_code[-3:]}",
            defaults={
                "name": f"Benchmark Community {icb.ods_code}",
                "kind": kind,
                "icb": icb,
            },
        )
    user, _ = User.objects.update_or_create(
        username=f"bench.prescribing.{icb.ods_code.lower()}.{role}",
        defaults={"role": role, "organisation": organisation},
    )
    return user


def seed_prescribing(n: int) -> dict:
    """``n`` prescriptions and one budget per ICB with patients; returns what was seeded."""
    reset_prescribing()
    icbs = list(
        Organisation.objects.filter(
            kind=OrganisationKind.ICB, members__registered_patients__isnull=False
        )
        .distinct()
        .order_by("id")
    )
    if not icbs:
        raise RuntimeError("seed patients first (the referral benchmark does)")
    pharmacy, _ = Organisation.objects.update_or_create(
        ods_code="BFARM1",
        defaults={"name": "Benchmark Pharmacy", "kind": OrganisationKind.PHARMACY, "icb": icbs[0]},
    )
    today = timezone.localdate()
    year = rules.financial_year_of(today)
    mapping = []
    for icb in icbs:
        prescribers = [_prescriber(icb, role, kind) for role, kind in PRESCRIBERS]
        budget = Budget.objects.create(
            icb=icb, financial_year=year, amount=1, therapeutic_area="Benchmark"
        )
        budget.committee.set(prescribers)
        mapping += [
            (icb.pk, k, budget.pk, user.pk, user.organisation_id)
            for k, user in enumerate(prescribers)
        ]
    start, _ = rules.financial_year_bounds(year)
    year_start = timezone.make_aware(datetime.combine(start, clock.min))
    seconds = max(1, int((timezone.now() - year_start).total_seconds()))
    values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(mapping))
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT array_agg(id ORDER BY id) FROM directory_patient")
        patients = cursor.fetchone()[0]
        cursor.execute(
            f"""
            WITH prescribers(icb_id, k, budget_id, user_id, organisation_id) AS (VALUES {values})
            INSERT INTO {TABLE} (uuid, patient_id, prescriber_id, prescriber_organisation_id,
                pharmacy_id, budget_id, discharge, short_supply_reason, status, total_cost,
                issued_at, dispensed_at, cancelled_at, cancel_reason)
            SELECT gen_random_uuid(), p.id, b.user_id, b.organisation_id, %s, b.budget_id,
                g %% 10 = 0, '', s.status, ((g * 7919) %% 3000) / 100.0 + 0.50, s.issued,
                CASE s.status WHEN 'dispensed' THEN s.issued + interval '1 day' END,
                CASE s.status WHEN 'cancelled' THEN s.issued + interval '1 hour' END, ''
            FROM generate_series(0, %s - 1) AS g
            JOIN directory_patient p
                ON p.id = (%s::bigint[])[1 + (g * 104729) %% cardinality(%s::bigint[])]
            JOIN directory_organisation o ON o.id = p.registered_practice_id
            JOIN prescribers b ON b.icb_id = o.icb_id AND b.k = g %% 3,
            LATERAL (SELECT
                CASE WHEN g %% 10 < 8 THEN 'dispensed' WHEN g %% 10 = 8 THEN 'issued'
                     ELSE 'cancelled' END AS status,
                %s::timestamptz + ((g * 7907) %% %s) * interval '1 second' AS issued) AS s
            """,
            [
                *[v for row in mapping for v in row],
                pharmacy.pk,
                n,
                patients,
                patients,
                year_start,
                seconds,
            ],
        )
        written = cursor.rowcount
        cursor.execute(
            f"""
            INSERT INTO prescribing_prescriptionitem (uuid, prescription_id, line, medicine,
                dmd_code, quantity, days_supply, cost)
            SELECT gen_random_uuid(), id, 1, 'Benchmark medicine 10mg tablets', '', 28, 28,
                total_cost FROM {TABLE}
            """
        )
        # Each budget's amount from its spend: even ones at 90% of it, odd ones past 100%.
        cursor.execute(
            f"""
            UPDATE prescribing_budget b SET amount = round(s.spent * (CASE WHEN b.id % 2 = 0
                THEN 1.11 ELSE 0.95 END), 2)
            FROM (SELECT budget_id, sum(total_cost) AS spent FROM {TABLE}
                  WHERE status = 'dispensed' GROUP BY budget_id) s
            WHERE s.budget_id = b.id
            """
        )
        cursor.execute(f"VACUUM (ANALYZE) {TABLE}")
        cursor.execute("VACUUM (ANALYZE) prescribing_prescriptionitem")
    return {
        "seconds": time.perf_counter() - started,
        "prescriptions": written,
        "budgets": len(icbs),
    }


def _alerts() -> tuple[int, int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), count(DISTINCT key) FROM alerts_alert WHERE kind = %s", [ALERT_KIND]
        )
        return cursor.fetchone()


def measure_prescribing(report: Report, *, prescriptions: int, runs: int, stdout) -> None:
    stdout.write(f"  seeding {prescriptions:,} prescriptions …\n")
    seeded = seed_prescribing(prescriptions)
    report.add(
        f"prescribing: seed {seeded['prescriptions']:,} prescriptions, {seeded['budgets']} budgets",
        f"{seeded['seconds']:.1f} s",
    )
    budgets = list(Budget.objects.order_by("id"))
    one = budgets[0]
    for name, call, target in (
        ("all ICBs' budget positions (dashboards)", lambda: budget_positions(), 500),
        ("one ICB's budget positions", lambda: budget_positions(icb_id=one.icb_id), 50),
        ("one budget's spend by organisation and sector", lambda: budget_breakdown(one), 100),
    ):
        app = bm.time_calls(call, runs=runs)
        with CaptureQueriesContext(connection) as captured:
            call()
        raw = bm.raw_sql_timing(captured.captured_queries[-1]["sql"], runs=runs)
        report.add(
            f"prescribing: {name} (ms p50/p95/p99)",
            app.summary(),
            f"{raw.summary()} (same SQL)",
            f"p95 ≤ {target} ms",
            verdict(app.p95 <= target),
        )
        stdout.write(f"  {name}: app {app.summary()} raw {raw.summary()}\n")
    # What the sweep must raise: each threshold reached, to each committee member.
    committee = {b.uuid: b.committee.count() for b in budgets}
    expected = sum(
        committee[p["budget"]]
        * len(rules.thresholds_reached(amount=p["amount"], spent=p["spent"], thresholds=(80, 100)))
        for p in budget_positions()
    )
    started = time.perf_counter()
    first = budget_alerts_sweep()
    first_seconds = time.perf_counter() - started
    started = time.perf_counter()
    second = budget_alerts_sweep()
    second_seconds = time.perf_counter() - started
    alerts, distinct = _alerts()
    report.add(
        "prescribing: budget alert sweep, first run (s); alerts raised",
        f"{first_seconds:.2f}; {first}",
        "",
        f"{expected:,} alerts, one per key",
        verdict(alerts == distinct == expected),
    )
    report.add(
        "prescribing: second run (s); alerts raised; alerts = distinct keys",
        f"{second_seconds:.2f}; {second}; {alerts:,} = {distinct:,}",
        "",
        "0 raised; one per key",
        verdict(second.startswith("0 ") and alerts == distinct),
    )
    stdout.write(f"  alert sweep: first {first_seconds:.2f} s ({first}), second {second}\n")
