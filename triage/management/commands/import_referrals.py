from django.core.management.base import BaseCommand, CommandError

from core.csvimport import ImportRejected
from core.progress import StageProgress
from directory.selectors import user_get
from triage.services.imports import PTL_COLUMNS, referral_import_csv


class Command(BaseCommand):
    help = (
        f"Import a patient tracking list (PTL) extract, columns {', '.join(PTL_COLUMNS)}. "
        "All or nothing: a file with any bad row imports nothing and names each bad row and "
        "column. Upserts by UBRN, so importing the same file again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path to the CSV file")
        parser.add_argument(
            "--user",
            required=True,
            metavar="USERNAME",
            help="The active user running the import: the actor of its audit events",
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="Do not show progress on standard error"
        )
        parser.add_argument(
            "--defer-recompute",
            action="store_true",
            help="Queue the queue recomputation to the Celery worker instead of running it now",
        )

    def handle(self, *args, file, user, **options):
        # docs/product.md §1: every change of patient data records who made it.
        actor = user_get(username=user)
        if actor is None:
            raise CommandError(f"--user: there is no user {user!r}")
        if not actor.is_active:
            raise CommandError(f"--user: {user!r} is not an active user")
        progress = StageProgress(enabled=not options["no_progress"], stream=self.stderr._out)
        try:
            counts = referral_import_csv(
                path=file,
                actor=actor,
                progress=progress,
                defer_recompute=options["defer_recompute"],
            )
        except FileNotFoundError as exc:
            raise CommandError(f"file: {file} does not exist") from exc
        except ImportRejected as exc:
            raise CommandError(exc.message) from exc
        finally:
            progress.close()
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {counts['rows']:,} row(s) from {file}: "
                f"{counts['created']:,} referral(s) created, {counts['updated']:,} updated, "
                f"{counts['unchanged']:,} unchanged; "
                f"{counts['patients_created']:,} patient(s) created, "
                f"{counts['patients_updated']:,} updated; "
                + (
                    f"queue recomputation queued for {counts['providers_queued']} provider(s)."
                    if options["defer_recompute"]
                    else f"queues recomputed for {counts['providers_recomputed']} provider(s)."
                )
            )
        )
