from django.core.management.base import BaseCommand

from triage.management.progress import StageProgress
from triage.models import Referral
from triage.queue import queue_recompute


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
        provider_ids = list(
            Referral.objects.order_by().values_list("provider_id", flat=True).distinct()
        )
        bar = StageProgress(enabled=not options["no_progress"], stream=self.stderr._out)
        done = 0

        def advance(step: int) -> None:
            nonlocal done
            done += step
            bar("recompute", done, len(provider_ids))

        try:
            result = queue_recompute(provider_ids=provider_ids, progress=advance)
        finally:
            bar.close()
        self.stdout.write(
            self.style.SUCCESS(
                f"Recomputed {result.providers} provider(s): {result.targets_updated:,} "
                f"target(s) and {result.positions_updated:,} position(s) updated "
                f"(longest provider transaction {result.longest_transaction_seconds:.2f} s)."
            )
        )
