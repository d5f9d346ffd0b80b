"""Alerts reads: which alerts a user sees (their own and their team's), the unread count every
page shows, the inbox's pages, preferences, and what the email sweeps send."""

from alerts.selectors.email import (
    DIGEST_LISTED,
    alert_email_recipients,
    digest_alerts_for,
    email_preferences_of,
)
from alerts.selectors.inbox import (
    ALERT_RELATED,
    alert_get_for_user,
    alert_page,
    alert_preference_for,
    alerts_visible_to,
    unread_alert_count,
)

__all__ = [
    "ALERT_RELATED",
    "DIGEST_LISTED",
    "alert_email_recipients",
    "alert_get_for_user",
    "alert_page",
    "alert_preference_for",
    "alerts_visible_to",
    "digest_alerts_for",
    "email_preferences_of",
    "unread_alert_count",
]
