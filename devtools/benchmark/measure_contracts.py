"""The contracts overdue sweep at scale (``manage.py benchmark --contracts N``; issue 14): N
obligations of every state, ``due`` of them open and fallen due since the last run; the sweep
marks those and raises two alerts each, and a second run writes nothing.

The obligations are written straight in SQL (``INSERT … SELECT generate_series``), spread over
the providers and patients already in the benchmark database, as diagnostic results' duties (a
source of their own, so no discharges are needed). PostgreSQL only.
"""

from __future__ import annotations

import time

from django.db import connection

from contracts.services.overdue import ALERT_KIND, obligations_mark_overdue
from devtools.benchmark import harness as bm
from devtools.benchmark.report import Report, verdict
from directory.models import PROVIDER_KINDS, Organisation, Patient

TABLE = "contracts_obligation"
# Of the obligations not falling due now: met, met late, already overdue (marked by an earlier
# run), and open with a due time to come; per mille.
MIX = {"met": 620, "met_late": 120, "overdue": 60, "open": 200}


def reset_contracts() -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM alerts_alert WHERE kind = %s", [ALERT_KIND])
        cursor.execute(
            "TRUNCATE contracts_obligation, contracts_discharge, contracts_attendance, "
            "contracts_breachreport RESTART IDENTITY"
        )


def seed_obligations(n: int, *, due: int) -> dict:
    """``n`` obligations, ``due`` of them open and past due; the rest per ``MIX``."""
    providers = list(
        Organisation.objects.filter(kind__in=PROVIDER_KINDS).values_list("id", flat=True)[:500]
    )
    patients = list(Patient.objects.order_by("id").values_list("id", flat=True)[:200_000])
    if not providers or not patients:
        raise RuntimeError("seed providers and patients first (the referral benchmark does)")
    reset_contracts()
    started = time.perf_counter()
    bounds = {}
    low = due
    for name, share in MIX.items():
        bounds[name] = (low, low + (n - due) * share // 1000)
        low = bounds[name][1]
    bounds["open"] = (bounds["open"][0], n)  # the remainder, so exactly n in all
    # g < due: open, due in the last two hours. Then each state in its slice of g.
    state = (
        "CASE WHEN g < %(due)s THEN 'open' "
        + " ".join(f"WHEN g < {high} THEN '{name}'" for name, (_, high) in bounds.items())
        + " END"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {TABLE} (uuid, duty, provider_id, patient_id, result_uuid, source_link,
                event_at, due_at, status, fulfilled_at, note, overdue_at, created_at)
            SELECT gen_random_uuid(), 'result_to_patient',
                (%(providers)s::bigint[])[1 + g %% cardinality(%(providers)s::bigint[])],
                (%(patients)s::bigint[])[1 + (g::bigint * 7919) %% cardinality(%(patients)s::bigint[])],
                gen_random_uuid(), '', due - interval '14 days', due, s.state,
                CASE s.state WHEN 'met' THEN due - interval '2 days'
                             WHEN 'met_late' THEN due + interval '3 days' END,
                '',
                CASE s.state WHEN 'overdue' THEN due + interval '15 minutes' END,
                now()
            FROM generate_series(0, %(n)s - 1) AS g,
                LATERAL (SELECT {state} AS state) AS s,
                LATERAL (SELECT CASE
                    WHEN g < %(due)s THEN now() - interval '1 minute' - (g %% 7200) * interval '1 second'
                    WHEN s.state = 'open' THEN now() + (1 + g %% 336) * interval '1 hour'
                    ELSE now() - (4 + g %% 2000) * interval '1 hour' END AS due) AS d
            """,
            {"providers": providers, "patients": patients, "n": n, "due": due},
        )
        cursor.execute(f"VACUUM (ANALYZE) {TABLE}")
    return {"seconds": time.perf_counter() - started, "providers": len(providers)}


def _writes() -> int:
    """Rows inserted or updated so far in the obligations and alerts tables (statistics)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_force_next_flush()")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) FROM pg_stat_user_tables "
            "WHERE relname IN ('contracts_obligation', 'alerts_alert')"
        )
        return int(cursor.fetchone()[0])


def measure_overdue_sweep(report: Report, *, obligations: int, due: int, stdout) -> None:
    stdout.write(f"  seeding {obligations:,} obligations, {due:,} falling due …\n")
    seeded = seed_obligations(obligations, due=due)
    report.add(
        f"contracts: seed {obligations:,} obligations ({due:,} falling due)",
        f"{seeded['seconds']:.1f} s",
    )
    size_before = bm.table_size(TABLE)
    started = time.perf_counter()
    first = obligations_mark_overdue()
    first_seconds = time.perf_counter() - started
    time.sleep(0.6)  # the statistics of the first run reach shared memory
    writes_before = _writes()
    started = time.perf_counter()
    second = obligations_mark_overdue()
    second_seconds = time.perf_counter() - started
    time.sleep(0.6)
    written = _writes() - writes_before
    size_after = bm.table_size(TABLE)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), count(DISTINCT key) FROM alerts_alert WHERE kind = %s", [ALERT_KIND]
        )
        alerts, distinct = cursor.fetchone()
    report.add(
        "contracts: overdue sweep, first run (s); marked; alerts raised; batches",
        f"{first_seconds:.2f}; {first.marked:,}; {first.alerts:,}; {first.batches}",
        "",
        f"{due:,} marked, {2 * due:,} alerts",
        verdict(first.marked == due and first.alerts == 2 * due),
    )
    report.add(
        "contracts: second run (s); marked; alerts; rows written",
        f"{second_seconds:.2f}; {second.marked}; {second.alerts}; {written}",
        "",
        "0; 0; 0",
        verdict(second.marked == second.alerts == written == 0),
    )
    report.add(
        "contracts: alerts in the table = distinct keys; obligations table (MB) before → after",
        f"{alerts:,} = {distinct:,}; {size_before / 2**20:.0f} → {size_after / 2**20:.0f}",
        "",
        "one per key",
        verdict(alerts == distinct == 2 * due),
    )
    stdout.write(
        f"  sweep: first {first_seconds:.2f} s ({first.marked} marked, {first.alerts} alerts), "
        f"second {second_seconds:.2f} s ({second.marked} marked, {written} rows written)\n"
    )
