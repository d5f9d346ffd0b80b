"""``python manage.py loadtest``: the load and fault test (docs/benchmarks.md, "Load and faults")."""

from __future__ import annotations

import importlib.util
import shutil
import tempfile
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from devtools.benchmark.harness import machine_description
from devtools.loadtest.report import passed, report_markdown
from devtools.loadtest.run import DEMO_EMAIL_DOMAIN, PHASES, run_phase, write_plan
from devtools.loadtest.stack import running_stack
from directory.models import User


class Command(BaseCommand):
    help = (
        "Start a local stack (gunicorn with gunicorn.conf.py, a Celery worker, a private "
        "redis-server; PostgreSQL from DATABASE_URL), drive it with locust (queue pages and "
        "cursor paging, referral reads, reviews, advice) and inject faults: the worker killed, "
        "the broker stopped, the database sessions terminated. Reports requests/s, p50/p95/p99 "
        "per request, 5xx, and the positions a fresh recomputation still changes after the "
        "sweeps (must be 0). Writes reviews and advice replies: use a database of its own."
    )

    def add_arguments(self, parser):
        parser.add_argument("--duration", type=int, default=90, help="seconds per phase (90)")
        parser.add_argument("--users", type=int, default=16, help="simulated users (16)")
        parser.add_argument(
            "--phases",
            default=",".join(PHASES),
            help=f"comma-separated, from {', '.join(PHASES)} (all)",
        )
        parser.add_argument(
            "--redis-port", type=int, default=6391, help="the private redis-server's port (6391)"
        )
        parser.add_argument(
            "--workers", type=int, default=None, help="gunicorn workers (gunicorn.conf.py's)"
        )
        parser.add_argument(
            "--referrals",
            type=int,
            default=20_000,
            help="seed_demo this many referrals first if the demo has none (20,000)",
        )
        parser.add_argument("--output", help="also write the Markdown report to this file")
        parser.add_argument("--keep", action="store_true", help="keep the logs and locust CSVs")
        parser.add_argument("--yes", action="store_true", help="do not ask before writing data")

    def handle(self, *args, **options):
        phases = [p.strip() for p in options["phases"].split(",") if p.strip()]
        unknown = [p for p in phases if p not in PHASES]
        if unknown:
            raise CommandError(f"--phases: unknown {', '.join(unknown)}; from {', '.join(PHASES)}")
        if options["duration"] < 6 or options["users"] < 1:
            raise CommandError("--duration: at least 6 seconds; --users: at least 1")
        if connection.vendor != "postgresql":
            raise CommandError("DATABASE_URL: the load test needs PostgreSQL (postgres://…)")
        if importlib.util.find_spec("locust") is None:
            raise CommandError("locust is not installed: pip install -e '.[dev]'")
        if shutil.which("redis-server") is None:
            raise CommandError("redis-server is not installed (apt-get install redis-server)")
        if (
            not options["yes"]
            and input(
                f"Write reviews and advice replies into database {connection.settings_dict['NAME']}? [y/N] "
            ).lower()
            != "y"
        ):
            raise CommandError("Stopped: nothing changed.")

        if not User.objects.filter(email__endswith=DEMO_EMAIL_DOMAIN).exists():
            self.stdout.write(f"No demo data: seed_demo --referrals {options['referrals']} …")
            call_command("seed_demo", referrals=options["referrals"], no_progress=True)
        workdir = Path(tempfile.mkdtemp(prefix="interface-loadtest-"))
        plan = workdir / "plan.json"
        counts = write_plan(plan)
        self.stdout.write(
            f"Plan: {counts['consultants']} consultant service(s), {counts['gps']} GP(s); "
            f"work directory {workdir}"
        )
        results = []
        try:
            with running_stack(
                workdir=workdir,
                redis_port=options["redis_port"],
                gunicorn_workers=options["workers"],
            ) as stack:
                for phase in phases:
                    self.stdout.write(f"Phase {phase}: {PHASES[phase]} …")
                    result = run_phase(
                        stack,
                        phase,
                        duration=options["duration"],
                        users=options["users"],
                        plan=plan,
                        workdir=workdir,
                        log=self.stdout.write,
                    )
                    results.append(result)
                    self.stdout.write(
                        f"  {result.total.per_second:,.1f} requests/s, {result.server_errors} 5xx, "
                        f"stale positions {result.stale_before_sweeps} before sweeps, "
                        f"{result.stale_after_sweeps} after"
                    )
        finally:
            # Kept when a phase failed: its logs say why.
            if not options["keep"] and len(results) == len(phases):
                shutil.rmtree(workdir, ignore_errors=True)
        header = (
            f"### Load and faults, {timezone.localdate():%d %B %Y}: {options['users']} users, "
            f"{options['duration']} s per phase\n\n{machine_description()}; "
            f"{counts['consultants']} consultant services and {counts['gps']} GPs from the demo."
        )
        report = report_markdown(results, header=header)
        self.stdout.write(report)
        if options["output"]:
            Path(options["output"]).write_text(report)
        if not passed(results):
            raise CommandError("a fresh recomputation still changes positions after the sweeps")
