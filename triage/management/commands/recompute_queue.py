from django.core.management.base import BaseCommand

from core.progress import StageProgress
from triage.services.queue import queue_recompute


class Command(BaseCommand):
    help = (
        "Recompute targets, breach and long-wait flags and queue positions of every open "
        "referral now (the nightly job, run by hand). Set-based and idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-progress", action="store_true", help="Do not show progress on standard error"
        )

    def handle(self, *args, **options):
        bar = StageProgress(enabled=not options["no_progress"], stream=self.stderr._out)
        try:
            result = queue_recompute(progress=lambda done, of: bar("recompute", done, of))
        finally:
            bar.close()
        self.stdout.write(
            self.style.SUCCESS(
                f"Recomputed {result.providers} provider(s): {result.targets_updated:,} "
                f"target(s) and {result.positions_updated:,} position(s) updated "
                f"(longest provider transaction {result.longest_transaction_seconds:.2f} s)."
            )
        )
