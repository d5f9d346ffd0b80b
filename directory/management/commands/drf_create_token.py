"""``manage.py drf_create_token USERNAME``: issue an API token and print its key, the only time
it is ever shown (the key is kept as a hash). Takes the place of DRF's authtoken command."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.errors import ApplicationError
from directory.models import TokenRevocation
from directory.selectors import api_tokens_live_of, user_get
from directory.services import api_token_issue, api_tokens_revoke


class Command(BaseCommand):
    help = (
        "Issue an API token for a user and print it (shown once; it expires after "
        "API_TOKEN_DAYS days, or sooner if the user's organisation or role changes)."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "-r",
            "--reset",
            action="store_true",
            help="Revoke the user's other tokens first",
        )

    def handle(self, *args, username: str, reset: bool, **options):
        user = user_get(username=username)
        if user is None:
            raise CommandError(f"username: no user called {username}")
        if reset:
            api_tokens_revoke(tokens=api_tokens_live_of(user=user), reason=TokenRevocation.REISSUED)
        try:
            token, key = api_token_issue(user=user)
        except ApplicationError as exc:
            problems = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.field_errors.items())
            raise CommandError(problems or exc.message) from exc
        # The same first line as DRF's command, so scripts that took the third word still work.
        self.stdout.write(f"Generated token {key} for user {user.username}")
        self.stdout.write(
            f"It expires {timezone.localtime(token.expires_at):%Y-%m-%d %H:%M %Z} "
            f"({settings.API_TOKEN_DAYS} days)."
        )
