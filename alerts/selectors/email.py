"""What the email sweeps read: who gets an alert by email, and what a digest lists."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from alerts.models import Alert, AlertPreference, EmailMode
from alerts.permissions import OWN_ALERTS_ONLY_ROLES
from alerts.selectors.inbox import alerts_visible_to
from directory.models import User

# A digest lists this many of the newest unread alerts, then says how many more there are.
DIGEST_LISTED = 20


def alert_email_recipients(alerts: Iterable[Alert]) -> dict[int, list[User]]:
    """The people each alert goes to, by alert id: its recipient, or every active member of its
    organisation's staff who shares the team inbox (two queries for the whole batch). Whether
    each wants it emailed, and can be, is the sweep's business."""
    alerts = list(alerts)
    direct_ids = {a.recipient_id for a in alerts if a.recipient_id is not None}
    team_ids = {a.organisation_id for a in alerts if a.organisation_id is not None}
    users = {u.pk: u for u in User.objects.filter(pk__in=direct_ids)}
    staff: dict[int, list[User]] = defaultdict(list)
    members = (
        User.objects.filter(organisation_id__in=team_ids, is_active=True)
        .exclude(role__in=OWN_ALERTS_ONLY_ROLES)
        .order_by("pk")
    )
    for user in members if team_ids else ():
        staff[user.organisation_id].append(user)
    return {
        a.pk: [users[a.recipient_id]] if a.recipient_id is not None else staff[a.organisation_id]
        for a in alerts
    }


def email_preferences_of(user_ids: Iterable[int]) -> dict[int, str]:
    """Each user's ``EmailMode``; users who never chose get each alert as it comes."""
    user_ids = set(user_ids)
    chosen = dict(
        AlertPreference.objects.filter(user_id__in=user_ids).values_list("user_id", "email_mode")
    )
    return {pk: chosen.get(pk, EmailMode.IMMEDIATE) for pk in user_ids}


def digest_alerts_for(user: User, *, since: datetime, until: datetime) -> tuple[list[Alert], int]:
    """The user's unread alerts raised in (``since``, ``until``], newest first: the first
    ``DIGEST_LISTED`` of them, and how many there are in all."""
    unread = alerts_visible_to(user).filter(
        created_at__gt=since, created_at__lte=until, read_at__isnull=True
    )
    listed = list(unread.order_by("-created_at", "-id")[:DIGEST_LISTED])
    total = len(listed) if len(listed) < DIGEST_LISTED else unread.count()
    return listed, total
