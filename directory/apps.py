from django.apps import AppConfig
from django.db.models.signals import post_save


def _revoke_stale_api_tokens(
    sender, instance, created, update_fields=None, raw=False, **kwargs
) -> None:
    """A user saved with another organisation or role loses the tokens issued for the old one
    (docs/api.md, Tokens); a save that names other fields only (a sign-in's last_login) cannot
    have changed either, and costs nothing."""
    if (
        created
        or raw
        or (
            update_fields is not None
            and not {"role", "organisation", "organisation_id"} & set(update_fields)
        )
    ):
        return
    from directory.services import api_tokens_revoke_stale

    api_tokens_revoke_stale(user=instance)


class DirectoryConfig(AppConfig):
    """Organisations, users, patients, and the registry of who may see a patient."""

    name = "directory"
    verbose_name = "Directory"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from core.navigation import register_navigation
        from directory.access import register_patient_rule, registered_practice_rule
        from directory.models import User
        from directory.web.navigation import directory_navigation

        register_patient_rule(registered_practice_rule)
        register_navigation(directory_navigation)
        post_save.connect(
            _revoke_stale_api_tokens, sender=User, dispatch_uid="directory-revoke-stale-tokens"
        )
