import sys

from django.core.management.base import BaseCommand, CommandError

from core.errors import ApplicationError
from directory.models import Role
from directory.selectors import organisation_get
from directory.services import user_create


class Command(BaseCommand):
    help = "Add a user with one role at one organisation (ODS code)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--organisation", help="ODS code of the user's organisation")
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            help="Read the password from standard input (otherwise the account has no usable password)",
        )
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--returning", action="store_true", help="A returning, retired or shielding clinician"
        )

    def handle(self, *args, **options):
        organisation = None
        if options["organisation"]:
            organisation = organisation_get(ods_code=options["organisation"])
            if organisation is None:
                raise CommandError(
                    f"--organisation: no organisation with ODS code {options['organisation']}"
                )
        password = None
        if options["password_stdin"]:
            password = sys.stdin.readline().rstrip("\n")
            if not password:
                raise CommandError("--password-stdin: standard input held no password")
        try:
            user = user_create(
                username=options["username"],
                role=options["role"],
                organisation=organisation,
                password=password,
                first_name=options["first_name"],
                last_name=options["last_name"],
                email=options["email"],
                is_returning_clinician=options["returning"],
            )
        except ApplicationError as exc:
            problems = "; ".join(f"--{k}: {' '.join(v)}" for k, v in exc.field_errors.items())
            raise CommandError(problems or exc.message) from exc
        self.stdout.write(self.style.SUCCESS(f"Added {user.username} ({user.get_role_display()})."))
        if password is None:
            self.stdout.write("No password set: use --password-stdin or the admin to set one.")
