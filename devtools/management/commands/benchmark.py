"""``python manage.py benchmark``: the scale benchmark (docs/benchmarks.md)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from core.progress import StageProgress
from devtools.benchmark import run as run


class Command(BaseCommand):
    help = (
        "Seed N referrals shaped on NHS England's RTT statistics into the configured PostgreSQL "
        "(replacing its clinical data: use a database of its own), then measure the queue API, "
        "deep pages, recomputation, PTL import and backlog counts beside raw-SQL baselines, and "
        "append the table to docs/benchmarks.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("--referrals", type=int, default=1_000_000)
        parser.add_argument(
            "--ptl-rows", type=int, default=200_000, help="rows of the import measurement"
        )
        parser.add_argument("--runs", type=int, default=300, help="requests per latency figure")
        parser.add_argument("--reuse", action="store_true", help="measure the data already loaded")
        parser.add_argument(
            "--load-only",
            action="store_true",
            help="seed and measure the import, then stop (measure the rest later with --reuse)",
        )
        parser.add_argument(
            "--output", default=str(Path(settings.BASE_DIR) / "docs" / "benchmarks.md")
        )
        parser.add_argument("--yes", action="store_true", help="do not ask before replacing data")

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError("DATABASE_URL: the benchmark needs PostgreSQL (postgres://…)")
        n, ptl_rows = options["referrals"], options["ptl_rows"]
        if not 0 < ptl_rows < n:
            raise CommandError("--ptl-rows: must be between 1 and --referrals")
        report = run.Report(referrals=n)
        workdir = Path(tempfile.mkdtemp(prefix="interface-bench-"))
        ptl_path = workdir / "ptl.csv"
        if not options["reuse"]:
            if (
                not options["yes"]
                and input(
                    f"Replace the clinical data in database {connection.settings_dict['NAME']}? [y/N] "
                ).lower()
                != "y"
            ):
                raise CommandError("Stopped: nothing changed.")
            progress = StageProgress(stream=self.stderr._out)
            done = 0

            def advance(step: int) -> None:
                nonlocal done
                done += step
                progress("generate", done, n - ptl_rows)

            seeded = run.seed_benchmark(n, ptl_rows=ptl_rows, ptl_path=ptl_path, progress=advance)
            progress.close()
            self.stdout.write(f"Seeded {seeded}")
            report.add(
                f"seed {seeded['referrals']:,} referrals, {seeded['patients']:,} patients "
                f"({seeded['providers']} trusts, {seeded['icbs']} ICBs, {seeded['practices']} practices)",
                f"{seeded['seconds']:.0f} s ({seeded['referrals'] / seeded['seconds']:,.0f} rows/s)",
            )
            self.stdout.write("Import …")
            run.measure_import(report, ptl_path=ptl_path, rows=ptl_rows, stdout=self.stdout)
        if options["load_only"]:
            self._write(report, n, options["output"])
            return
        self.stdout.write("Recompute through a Celery worker …")
        run.measure_recompute(report, stdout=self.stdout)
        self.stdout.write("Queue over HTTP …")
        run.measure_queue(report, runs=options["runs"], stdout=self.stdout)
        self.stdout.write("Backlog counts …")
        run.measure_backlog_counts(report, runs=options["runs"], stdout=self.stdout)
        self._write(report, n, options["output"])

    def _write(self, report, n: int, output: str) -> None:
        text = report.markdown(title=f"{n:,} referrals")
        self.stdout.write(text)
        with open(output, "a") as handle:
            handle.write("\n" + text)
        self.stdout.write(self.style.SUCCESS(f"Appended to {output}"))
