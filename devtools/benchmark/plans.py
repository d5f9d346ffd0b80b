"""The PostgreSQL planner settings a queue is measured under, and the plans it gets.

Every queue shape is measured twice: on PostgreSQL's defaults, as an ICB installs it, and with
the planner settings of ``deploy/postgresql/interface.conf`` set for the session (server-wide
settings such as ``shared_buffers`` cannot be set per session, and are not). A good plan must
come from the query's shape and the indexes, never from the settings: the plan of each shape is
printed, and any sequential scan of the referral table is flagged.
"""

from __future__ import annotations

import contextlib
import re

from devtools.benchmark import harness as bm

CONF = bm.ROOT / "deploy" / "postgresql" / "interface.conf"
# The documented settings a session may set: the planner's costs and its parallelism.
SESSION_SETTINGS = (
    "random_page_cost",
    "seq_page_cost",
    "effective_io_concurrency",
    "effective_cache_size",
    "max_parallel_workers_per_gather",
    "work_mem",
    "jit",
)
SEQ_SCAN = re.compile(r"(Parallel )?Seq Scan on triage_referral\b")


def documented_settings() -> dict[str, str]:
    """The session-settable settings ``interface.conf`` documents, as ``name: value``."""
    found = {}
    for line in CONF.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if "=" not in line:
            continue
        name, value = (part.strip() for part in line.split("=", 1))
        if name in SESSION_SETTINGS:
            found[name] = value.strip("'")
    return found


SETTINGS = {"default": {}, "documented": documented_settings()}


def pg_options(settings: dict[str, str]) -> str:
    """The same settings for a server process, through ``PGOPTIONS``."""
    return " ".join(f"-c {name}={value}" for name, value in settings.items())


def set_session(cursor, settings: dict[str, str]) -> None:
    for name, value in settings.items():
        cursor.execute("SELECT set_config(%s, %s, false)", [name, value])


def raw_sql_timing(sql: str, *, runs: int, settings: dict[str, str]) -> bm.Timing:
    """The statement replayed straight through psycopg2 under ``settings``."""
    with contextlib.closing(bm.raw_connection()) as conn, conn.cursor() as cursor:
        set_session(cursor, settings)

        def run() -> None:
            cursor.execute(sql)
            cursor.fetchall()

        return bm.time_calls(run, runs=runs)


def explain(sql: str, settings: dict[str, str]) -> str:
    """EXPLAIN (ANALYZE, BUFFERS) of ``sql`` under ``settings``, warm (run once before), in a
    transaction rolled back after."""
    with contextlib.closing(bm.raw_connection()) as conn, conn.cursor() as cursor:
        set_session(cursor, settings)
        cursor.execute(sql)
        cursor.fetchall()
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
        conn.rollback()
    return plan


def sequential_scans(plan: str) -> int:
    return len(SEQ_SCAN.findall(plan))
