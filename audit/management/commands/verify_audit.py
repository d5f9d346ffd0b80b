from django.core.management.base import BaseCommand, CommandError

from audit.selectors import audit_chain_verify
from core.progress import StageProgress


class Command(BaseCommand):
    help = (
        "Check the audit trail's hash chain: recompute every event's hash in id order, check "
        "each link and the chain head. Names the first event altered, missing or out of the "
        "chain and exits 1; when the chain is intact, prints its head (event, hash, count) to "
        "record somewhere the database's owner cannot write."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--recorded-head",
            default="",
            metavar="HASH",
            help="A head hash recorded earlier: the chain must still contain it",
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="Do not show progress on standard error"
        )

    def handle(self, *args, recorded_head: str, **options):
        recorded_head = recorded_head.strip().lower()
        progress = StageProgress(enabled=not options["no_progress"], stream=self.stderr._out)
        try:
            report = audit_chain_verify(
                recorded_head=recorded_head,
                progress=lambda done, total: progress("Verifying audit events", done, total),
            )
        finally:
            progress.close()
        if not report.intact:
            where = f" at event {report.event_id}" if report.event_id is not None else ""
            raise CommandError(
                f"Audit chain broken{where}: {report.problem}. "
                f"{report.count:,} event(s) verified before it.",
                returncode=1,
            )
        if recorded_head and not report.recorded_head_found:
            raise CommandError(
                f"--recorded-head: no event on the chain has the hash {recorded_head}: the "
                "events up to it were rewritten, or it was recorded from another database.",
                returncode=1,
            )
        head = (
            f"head event {report.head_id} hash {report.head_hash}"
            if report.head_id is not None
            else f"no events yet (hash {report.head_hash})"
        )
        self.stdout.write(
            self.style.SUCCESS(f"Audit chain intact: {report.count:,} event(s); {head}")
        )
