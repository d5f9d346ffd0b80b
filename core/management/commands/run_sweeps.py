"""``manage.py run_sweeps``: every registered sweep, once, now, in this process (docs/product.md
§8). No broker or worker is needed; running it twice, or beside beat, does nothing twice."""

from django.core.management.base import BaseCommand, CommandError

from core.sweeps import SweepOutcome, run_all, sweep_names


class Command(BaseCommand):
    help = (
        "Run every scheduled sweep once, in this process: work recorded but not yet done (such "
        "as a queue recomputation whose task was lost) and the periodic jobs. Safe to run twice."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"Running {len(sweep_names())} sweep(s): {', '.join(sweep_names())}")

        def report(outcome: SweepOutcome) -> None:
            style = self.style.SUCCESS if outcome.ok else self.style.ERROR
            self.stdout.write(style(f"{outcome.name}: {outcome.summary} ({outcome.seconds:.2f} s)"))

        failed = [outcome.name for outcome in run_all(on_done=report) if not outcome.ok]
        if failed:
            raise CommandError(f"{len(failed)} sweep(s) failed: {', '.join(failed)}.")
