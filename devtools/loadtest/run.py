"""Phases of the load and fault test (``python manage.py loadtest``; docs/benchmarks.md).

Each phase runs the same locust load against the same stack for the same time; a fault phase
injects its fault a third of the way in and lifts it at two thirds. After each phase the worker
is given time to drain, then the check every phase must pass: the positions a fresh
recomputation would still change, counted before the sweeps (what the fault left stale) and
after them (must be 0). The dry runs are rolled back, so they change nothing themselves.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.core.management import call_command, get_commands
from django.db import transaction

from devtools.loadtest.stack import Stack
from directory.models import Role, User
from triage.models import Referral
from triage.services.queue import RecomputeResult, queue_recompute

LOCUSTFILE = Path(__file__).with_name("locustfile.py")
DEMO_EMAIL_DOMAIN = "@demo.interface.invalid"
PHASES = {
    "baseline": "no fault",
    "worker": "Celery worker killed (SIGKILL, whole process group) at 1/3, restarted at 2/3",
    "broker": "Redis broker killed (SIGKILL) at 1/3, restarted empty at 2/3",
    "database": "the stack's PostgreSQL sessions terminated (pg_terminate_backend) at 1/3 and 2/3",
}


@dataclass
class RequestFigures:
    name: str
    count: int
    per_second: float
    p50: float
    p95: float
    p99: float
    statuses: dict[int, int] = field(default_factory=dict)

    @property
    def server_errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 500)


@dataclass
class PhaseResult:
    name: str
    duration: int
    users: int
    total: RequestFigures
    requests: list[RequestFigures]
    events: list[str]
    stale_before_sweeps: int
    stale_after_sweeps: int

    @property
    def server_errors(self) -> int:
        return sum(r.server_errors for r in self.requests)

    @property
    def connection_errors(self) -> int:
        return sum(r.statuses.get(0, 0) for r in self.requests)


class _DryRun(Exception):
    def __init__(self, result: RecomputeResult):
        self.result = result


def stale_positions() -> int:
    """Positions a fresh recomputation of every queue would change, rolled back."""
    try:
        with transaction.atomic():
            raise _DryRun(queue_recompute())
    except _DryRun as dry:
        return dry.result.positions_updated


def sweep() -> str:
    """``run_sweeps`` where it exists (the recorded work of the outbox), else a recomputation."""
    out = io.StringIO()
    command = "run_sweeps" if "run_sweeps" in get_commands() else "recompute_queue"
    call_command(command, stdout=out, stderr=out)
    return f"{command}: {' '.join(out.getvalue().split())[:300]}"


def api_token(username: str) -> str:
    out = io.StringIO()
    call_command("drf_create_token", username, reset=True, stdout=out)
    # "Generated token <key> for user <username>", the first line of either command.
    return out.getvalue().split()[2]


def write_plan(path: Path) -> dict[str, int]:
    """The demo's consultants (one entry per service they work with referrals in it) and GPs,
    each with a fresh API token."""
    demo = User.objects.filter(is_active=True, email__endswith=DEMO_EMAIL_DOMAIN)
    services = set(
        Referral.objects.order_by()
        .values_list("provider__ods_code", "treatment_function_id")
        .distinct()
    )
    plan: dict[str, list[dict]] = {"consultants": [], "gps": []}
    for user in demo.filter(role=Role.CONSULTANT).select_related("organisation"):
        mine = [f for f in user.specialties if (user.organisation.ods_code, f) in services]
        if mine:
            token = api_token(user.username)
            plan["consultants"] += [
                {"token": token, "provider": user.organisation.ods_code, "treatment_function": f}
                for f in mine
            ]
    for user in demo.filter(role=Role.GP).select_related("organisation"):
        plan["gps"].append(
            {"token": api_token(user.username), "practice": user.organisation.ods_code}
        )
    if not plan["consultants"] or not plan["gps"]:
        raise RuntimeError("no demo consultants or GPs with referrals: run seed_demo first")
    path.write_text(json.dumps(plan))
    return {role: len(entries) for role, entries in plan.items()}


def fault_schedule(stack: Stack, phase: str, duration: int) -> list[tuple[float, Callable, str]]:
    first, second = duration / 3, 2 * duration / 3

    def terminate() -> str:
        return f"{stack.terminate_database_connections()} session(s) terminated"

    return {
        "baseline": [],
        "worker": [
            (first, stack.kill_worker, "worker killed"),
            (second, stack.start_worker, "worker restarted"),
        ],
        "broker": [
            (first, stack.stop_broker, "broker killed"),
            (second, stack.start_redis, "broker restarted"),
        ],
        "database": [(first, terminate, "database"), (second, terminate, "database")],
    }[phase]


def run_phase(
    stack: Stack, phase: str, *, duration: int, users: int, plan: Path, workdir: Path, log
) -> PhaseResult:
    prefix = workdir / phase
    statuses_path = workdir / f"{phase}-statuses.json"
    env = {**os.environ, "LOADTEST_PLAN": str(plan), "LOADTEST_STATUS_FILE": str(statuses_path)}
    with (workdir / f"{phase}-locust.log").open("wb") as locust_log:
        locust = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            [
                sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless",
                "--users", str(users), "--spawn-rate", str(users), "--run-time", f"{duration}s",
                "--stop-timeout", "10", "--host", f"http://127.0.0.1:{stack.web_port}",
                "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING",
            ],
            env=env, stdout=locust_log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        started = time.monotonic()
        events = []
        for at, action, label in fault_schedule(stack, phase, duration):
            while time.monotonic() - started < at and locust.poll() is None:
                time.sleep(0.1)
            detail = action()
            events.append(
                f"{time.monotonic() - started:.0f} s: {label}{f' ({detail})' if detail else ''}"
            )
            log(f"  {events[-1]}")
        locust.wait(timeout=duration + 120)
    stack.wait_until_idle()
    before = stale_positions()
    events.append(sweep())
    after = stale_positions()
    requests, total = read_locust(prefix, statuses_path)
    return PhaseResult(phase, duration, users, total, requests, events, before, after)


def read_locust(prefix: Path, statuses_path: Path) -> tuple[list[RequestFigures], RequestFigures]:
    statuses = json.loads(statuses_path.read_text()) if statuses_path.exists() else {}
    rows, total = [], None
    with Path(f"{prefix}_stats.csv").open() as handle:
        for row in csv.DictReader(handle):
            figures = RequestFigures(
                name=row["Name"],
                count=int(row["Request Count"]),
                per_second=float(row["Requests/s"]),
                p50=float(row["50%"]),
                p95=float(row["95%"]),
                p99=float(row["99%"]),
                statuses={int(k): v for k, v in statuses.get(row["Name"], {}).items()},
            )
            if row["Name"] == "Aggregated":
                total = figures
            else:
                rows.append(figures)
    if total is None:
        raise RuntimeError(f"locust wrote no totals to {prefix}_stats.csv")
    total.statuses = {}
    for figures in rows:
        for status, n in figures.statuses.items():
            total.statuses[status] = total.statuses.get(status, 0) + n
    return rows, total
