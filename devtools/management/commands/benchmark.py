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
        parser.add_argument(
            "--dashboards",
            action="store_true",
            help="measure the dashboards only: the daily snapshot job, then every dashboard "
            "request over a year of snapshots (after seeding, or on the data loaded with --reuse)",
        )
        parser.add_argument(
            "--diagnostics-bookings",
            type=int,
            default=0,
            help="also seed N diagnostic bookings (COPY) and measure diagnostics (0: skip)",
        )
        parser.add_argument(
            "--diagnostics-only",
            action="store_true",
            help="with --reuse: measure diagnostics only (seeding them unless N is 0)",
        )
        parser.add_argument(
            "--alerts",
            type=int,
            default=0,
            help="also raise N alerts and measure the inbox, its count and the email sweep (0: skip)",
        )
        parser.add_argument(
            "--alerts-only",
            action="store_true",
            help="with --reuse: measure alerts only (raising them unless N is 0)",
        )
        parser.add_argument(
            "--contracts",
            type=int,
            default=0,
            help="also measure the contracts overdue sweep over N obligations, 1%% of them "
            "falling due (0: skip; replaces the contracts data)",
        )
        parser.add_argument(
            "--contracts-due",
            type=int,
            default=None,
            help="of the --contracts obligations, how many fall due (default 1%%)",
        )
        parser.add_argument(
            "--contracts-only",
            action="store_true",
            help="with --reuse: measure the contracts sweep only",
        )
        parser.add_argument(
            "--prescribing",
            type=int,
            default=0,
            help="also seed N prescriptions and measure budget positions and the budget alert "
            "sweep (0: skip; replaces the prescribing data)",
        )
        parser.add_argument(
            "--prescribing-only",
            action="store_true",
            help="with --reuse: measure prescribing only",
        )

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
        if options["dashboards"]:
            self.stdout.write("Dashboards …")
            run.measure_dashboards(report, runs=options["runs"], stdout=self.stdout)
            self._write(report, n, options["output"])
            return
        if options["diagnostics_only"]:
            self._diagnostics(report, options)
            self._write(report, n, options["output"])
            return
        if options["alerts_only"]:
            self._alerts(report, options)
            self._write(report, n, options["output"])
            return
        if options["contracts_only"]:
            self._contracts(report, options)
            self._write(report, n, options["output"])
            return
        if options["prescribing_only"]:
            self._prescribing(report, options)
            self._write(report, n, options["output"])
            return
        self.stdout.write("Recompute through a Celery worker …")
        run.measure_recompute(report, stdout=self.stdout)
        self.stdout.write("Queue over HTTP …")
        run.measure_queue(report, runs=options["runs"], stdout=self.stdout)
        self.stdout.write("Backlog counts …")
        run.measure_backlog_counts(report, runs=options["runs"], stdout=self.stdout)
        if options["diagnostics_bookings"]:
            self._diagnostics(report, options)
        if options["alerts"]:
            self._alerts(report, options)
        if options["contracts"]:
            self._contracts(report, options)
        if options["prescribing"]:
            self._prescribing(report, options)
        self._write(report, n, options["output"])

    def _prescribing(self, report, options) -> None:
        from devtools.benchmark import measure_prescribing as prescribing

        if not options["prescribing"]:
            raise CommandError("--prescribing-only: give --prescribing N, the prescriptions")
        self.stdout.write("Prescribing: budget positions and the budget alert sweep …")
        prescribing.measure_prescribing(
            report, prescriptions=options["prescribing"], runs=options["runs"], stdout=self.stdout
        )

    def _contracts(self, report, options) -> None:
        obligations = options["contracts"]
        if not obligations:
            raise CommandError("--contracts-only: give --contracts N, the obligations to sweep")
        due = options["contracts_due"]
        due = obligations // 100 if due is None else due
        if not 0 < due <= obligations:
            raise CommandError("--contracts-due: must be between 1 and --contracts")
        self.stdout.write("Contracts overdue sweep …")
        run.measure_overdue_sweep(report, obligations=obligations, due=due, stdout=self.stdout)

    def _diagnostics(self, report, options) -> None:
        from devtools.benchmark import measure_diagnostics as diagnostics

        seeded = None
        if options["diagnostics_bookings"]:
            self.stdout.write("Diagnostic bookings (COPY) …")
            seeded = diagnostics.seed_diagnostics(options["diagnostics_bookings"])
            self.stdout.write(f"Seeded {seeded}")
        self.stdout.write("Diagnostics over HTTP and the result-alert sweep …")
        diagnostics.measure_diagnostics(
            report, seeded=seeded, runs=options["runs"], stdout=self.stdout
        )

    def _alerts(self, report, options) -> None:
        from devtools.benchmark import measure_alerts as alerts

        seeded = None
        if options["alerts"]:
            self.stdout.write("Alerts through alerts_raise …")
            seeded = alerts.seed_alerts(options["alerts"])
            self.stdout.write(f"Seeded {seeded}")
        self.stdout.write("Alerts: the header count, the inbox over HTTP, the email sweep …")
        alerts.measure_alerts(report, seeded=seeded, runs=options["runs"], stdout=self.stdout)

    def _write(self, report, n: int, output: str) -> None:
        text = report.markdown(title=f"{n:,} referrals")
        self.stdout.write(text)
        with open(output, "a") as handle:
            handle.write("\n" + text)
        self.stdout.write(self.style.SUCCESS(f"Appended to {output}"))
