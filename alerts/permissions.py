"""Who sees which alerts: the one place the rule is written (docs/alerts.md).

A user sees the alerts raised to them, and, as a team inbox, the alerts raised to their
organisation. Managers and administrators get only their own: an organisation's alerts are its
clinical staff's work (an administrator may be employed by a trust without being on its
clinical team, and an ICB's alerts would otherwise reach every manager of the ICB).
"""

from __future__ import annotations

from alerts.models import Alert
from directory.models import Role, User

# Roles that never share an organisation's (team) alerts.
OWN_ALERTS_ONLY_ROLES = frozenset({Role.MANAGER, Role.ADMIN})


def receives_team_alerts(user: User) -> bool:
    """Whether ``user`` shares their organisation's alerts (its team inbox, and its emails)."""
    return (
        user.is_active
        and user.organisation_id is not None
        and user.role not in OWN_ALERTS_ONLY_ROLES
    )


def can_see_alert(user: User, alert: Alert) -> bool:
    """Seeing an alert is acting on it: whoever sees one may mark it read, for the whole team."""
    if alert.recipient_id is not None:
        return alert.recipient_id == user.pk
    return receives_team_alerts(user) and alert.organisation_id == user.organisation_id
