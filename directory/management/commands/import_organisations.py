from django.core.management.base import BaseCommand, CommandError

from core.csvimport import ImportRejected
from directory.services import organisation_import_csv


class Command(BaseCommand):
    help = (
        "Import organisations from a CSV with columns ods_code, name, kind, icb. "
        "All or nothing: a file with any bad row imports nothing and names each bad row and column."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path to the CSV file")

    def handle(self, *args, file, **options):
        try:
            counts = organisation_import_csv(path=file)
        except FileNotFoundError as exc:
            raise CommandError(f"file: {file} does not exist") from exc
        except ImportRejected as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {counts['icbs']} ICB(s) and {counts['organisations']} other organisation(s)."
            )
        )
