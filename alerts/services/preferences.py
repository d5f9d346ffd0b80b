"""A user's choice of how their alerts are emailed (docs/alerts.md, Email)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from alerts.models import AlertPreference, EmailMode
from core.errors import ApplicationError
from directory.models import User


@transaction.atomic
def alert_preference_set(*, actor: User, email_mode: str) -> AlertPreference:
    """Set how ``actor``'s alerts are emailed: each as it comes, a daily digest, or none.

    Choosing the digest starts it from now: alerts raised before were already emailed as they
    came (or not wanted), so the first digest lists only those raised after the choice.
    Choosing the same again changes nothing."""
    if email_mode not in EmailMode.values:
        raise ApplicationError(
            "Choose how to be emailed.",
            field_errors={"email_mode": [f"Choose one of: {', '.join(EmailMode.values)}."]},
        )
    now = timezone.now()
    digest = email_mode == EmailMode.DIGEST
    preference, created = AlertPreference.objects.select_for_update().get_or_create(
        user=actor,
        defaults={
            "email_mode": email_mode,
            "updated_at": now,
            "digest_through": now if digest else None,
        },
    )
    if created or preference.email_mode == email_mode:
        return preference
    preference.email_mode = email_mode
    preference.updated_at = now
    if digest:
        preference.digest_through = now
    preference.save(update_fields=["email_mode", "updated_at", "digest_through"])
    return preference
