"""The PTL import, run as ``import_referrals`` in a process of its own: rows per second beside a
raw COPY into the same table, re-import time, and peak memory against file size."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from devtools.benchmark import harness as bm
from devtools.benchmark.report import Report, verdict
from directory.models import Role, User


def measure_import(report: Report, *, ptl_path: Path, rows: int, stdout) -> None:
    broker = os.environ.get("CELERY_BROKER_URL", "")
    if not broker.startswith("redis://"):
        # Without a broker, Celery runs the queued recomputation inside the import command,
        # and the figure would time the whole recompute of every provider the file touches.
        report.notes.append(
            "PTL import not measured: set CELERY_BROKER_URL to Redis, so that the import "
            "queues its recomputation instead of running it in-process"
        )
        stdout.write("  import not measured: CELERY_BROKER_URL is not a Redis URL\n")
        return
    env = {**os.environ, "DATABASE_URL": bm.database_url()}
    # The recomputation is queued (--defer-recompute) and measured on its own below. Imports
    # record who ran them: a system administrator of the benchmark's own.
    importer, _ = User.objects.get_or_create(
        username="bench.importer", defaults={"role": Role.ADMIN, "is_active": True}
    )
    command = [
        "import_referrals",
        "--no-progress",
        "--defer-recompute",
        "--user",
        importer.username,
    ]
    # The baselines first, on the table as the fresh import will find it, each timed write
    # after a checkpoint so that none pays for the flushing of the one before.
    bm.vacuum_analyze()
    bm.settle()
    raw_rate = raw_copy_rate(rows)
    bm.settle()
    copy_only, with_checks = raw_copy_into_table_rates(rows)
    bm.settle()
    fresh_s, fresh_mb, _ = bm.run_command_measured([*command, str(ptl_path)], env)
    again_s, again_mb, _ = bm.run_command_measured([*command, str(ptl_path)], env)
    half = ptl_path.with_name("ptl-half.csv")
    with ptl_path.open() as source, half.open("w") as target:
        for index, line in enumerate(source):
            if index > rows // 2:
                break
            target.write(line)
    _, half_mb, _ = bm.run_command_measured([*command, str(half)], env)
    # The recomputations the imports queued: nobody consumes the default queue here.
    from interface.celery import app

    app.control.purge()
    bm.vacuum_analyze()
    fresh_rate = rows / fresh_s
    report.add(
        f"PTL import, {rows:,} rows, fresh (rows/s; peak MB)",
        f"{fresh_rate:,.0f}; {fresh_mb:.0f} MB ({fresh_rate / with_checks:.2f}× COPY into the "
        f"table with its foreign-key checks; {fresh_rate / copy_only:.2f}× without them; "
        f"{fresh_rate / raw_rate:.2f}× into a clone)",
        f"raw COPY into the referral table itself, rolled back: {with_checks:,.0f} rows/s with "
        f"the foreign-key checks a commit runs, {copy_only:,.0f} rows/s without them; into an "
        f"empty clone with its indexes: {raw_rate:,.0f} rows/s",
        "≥ 0.5× raw COPY into the referral table (with its foreign-key checks)",
        verdict(fresh_rate >= 0.5 * with_checks),
    )
    report.add(
        "PTL re-import of the same file (s; peak MB)",
        f"{again_s:.1f} s vs fresh {fresh_s:.1f} s; {again_mb:.0f} MB",
        "",
        "≤ 2× fresh",
        verdict(again_s <= 2 * fresh_s),
    )
    report.add(
        "PTL import memory, same path: half file → whole file (peak MB, re-import)",
        f"{half_mb:.0f} → {again_mb:.0f}",
        "",
        "flat in file size",
        verdict(again_mb <= half_mb * 1.25),
    )
    stdout.write(
        f"  import: fresh {fresh_rate:,.0f} rows/s, re-import {again_s:.1f}s, raw {raw_rate:,.0f}\n"
    )


def raw_copy_into_table_rates(rows: int) -> tuple[float, float]:
    """COPY ``rows`` referral rows (copies of the newest, with new ids and UBRNs) into the
    referral table itself, with its rows, indexes and triggers, then roll back: what writing
    that many referrals costs the table, the floor an import is measured against. Returns rows
    per second for the COPY alone, and for the COPY with the deferred foreign-key checks that
    its commit would run (``SET CONSTRAINTS ALL IMMEDIATE`` runs them before the rollback): a
    COPY that is kept pays them, as the import does."""
    with bm.raw_connection() as conn, conn.cursor() as cursor:
        cursor.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_name = 'triage_referral' ORDER BY ordinal_position"
        )
        columns = [row[0] for row in cursor.fetchall()]
        fresh = {
            "id": "id + 1000000000",
            "uuid": "gen_random_uuid()",
            "ubrn": "'7' || lpad(id::text, 11, '0')",
            "redirected_from_id": "NULL",
        }
        select = ", ".join(fresh.get(column, column) for column in columns)
        with tempfile.TemporaryFile("w+") as buffer:
            cursor.copy_expert(
                f"COPY (SELECT {select} FROM triage_referral ORDER BY id DESC "
                f"LIMIT {int(rows)}) TO STDOUT",
                buffer,
            )
            buffer.seek(0)
            start = time.perf_counter()
            cursor.copy_expert(f"COPY triage_referral ({', '.join(columns)}) FROM STDIN", buffer)
            copied = time.perf_counter()
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            checked = time.perf_counter()
        conn.rollback()
    return rows / (copied - start), rows / (checked - start)


def raw_copy_rate(rows: int) -> float:
    """COPY ``rows`` existing referral rows into a clone of the table with the same indexes."""
    with bm.raw_connection() as conn, conn.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE bench_copy (LIKE triage_referral INCLUDING ALL)")
        with tempfile.TemporaryFile("w+") as buffer:
            cursor.copy_expert(
                f"COPY (SELECT * FROM triage_referral ORDER BY id DESC LIMIT {int(rows)}) TO STDOUT",
                buffer,
            )
            buffer.seek(0)
            start = time.perf_counter()
            cursor.copy_expert("COPY bench_copy FROM STDIN", buffer)
            seconds = time.perf_counter() - start
        conn.rollback()
    return rows / seconds
