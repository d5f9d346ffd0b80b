"""How an alert is shown as a row, in the inbox and the API alike. Nothing here names a
patient: an alert's subject never does (``alerts.services.AlertDraft``)."""

from __future__ import annotations

from alerts.models import Alert


def alert_audience(alert: Alert) -> str:
    """Who the alert is for: "You", or the organisation whose staff share it."""
    if alert.organisation_id is None:
        return "You"
    return f"{alert.organisation.name} (team)"


def alert_read_text(alert: Alert) -> str:
    """ "Unread", or when it was read and, for a team alert, by whom."""
    if alert.read_at is None:
        return "Unread"
    who = ""
    if alert.organisation_id is not None and alert.read_by is not None:
        who = f" by {alert.read_by.display_name}"
    return f"Read{who}"
