"""The alerts a user sees, their unread count and the inbox's pages (docs/alerts.md)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.db import connection
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.shortcuts import get_object_or_404

from alerts.models import Alert, AlertPreference
from alerts.permissions import receives_team_alerts
from alerts.rules import UNREAD_COUNT_CAP
from core.keyset import KeysetPage, invalid_cursor, keyset_decode, keyset_encode
from directory.models import User

ALERT_RELATED = ("organisation", "read_by")
# The inbox's sort key, newest first: (created_at, id) descending. ``created_at`` travels in the
# cursor as ISO 8601 text and is parsed back here.
ALERT_KEY = [("created_at", str), ("id", int)]


def _visibility_q(user: User) -> Q | None:
    if not user.is_authenticated or user.pk is None:
        return None
    q = Q(recipient_id=user.pk)
    if receives_team_alerts(user):
        q |= Q(organisation_id=user.organisation_id)
    return q


def alerts_visible_to(user: User) -> QuerySet[Alert]:
    """The user's own alerts and, for the staff of an organisation, its team alerts (never for
    managers and administrators: ``alerts.permissions.receives_team_alerts``)."""
    q = _visibility_q(user)
    if q is None:
        return Alert.objects.none()
    return Alert.objects.filter(q).select_related(*ALERT_RELATED)


def unread_alert_count(user: User) -> int:
    """How many of the user's alerts are unread, up to ``UNREAD_COUNT_CAP``: one small query,
    shown in the header of every page. Each part (the user's own, their team's) is counted on
    its own index (``alert_recipient_unread``, ``alert_organisation_unread``: an index-only
    scan that stops at the cap); one condition with OR would leave the planner a bitmap or a
    sequential scan, which a team inbox with nothing unread would read to the end."""
    if not user.is_authenticated or user.pk is None:
        return 0
    table = Alert._meta.db_table
    part = (
        f"(SELECT COUNT(*) FROM (SELECT 1 FROM {table} WHERE {{column}} = %s "  # noqa: S608
        "AND read_at IS NULL LIMIT %s) AS part)"
    )
    parts, params = [part.format(column="recipient_id")], [user.pk, UNREAD_COUNT_CAP]
    if receives_team_alerts(user):
        parts.append(part.format(column="organisation_id"))
        params += [user.organisation_id, UNREAD_COUNT_CAP]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {' + '.join(parts)}", params)
        (count,) = cursor.fetchone()
    return min(count, UNREAD_COUNT_CAP)


def alert_get_for_user(*, user: User, alert_uuid) -> Alert:
    """The alert, or 404 if it is not the user's (nor their team's): no existence leak."""
    return get_object_or_404(alerts_visible_to(user), uuid=alert_uuid)


def alert_preference_for(user: User) -> AlertPreference:
    """The user's email preference; an unsaved default (each alert as it comes) if they have
    never chosen."""
    found = AlertPreference.objects.filter(user_id=user.pk).first()
    return found if found is not None else AlertPreference(user=user)


def _cursor_key(cursor: str) -> tuple[datetime, int, str]:
    (at_text, pk), direction = keyset_decode(cursor, ALERT_KEY)
    try:
        at = datetime.fromisoformat(at_text)
    except ValueError as exc:
        raise invalid_cursor() from exc
    if at.tzinfo is None:
        raise invalid_cursor()
    return at, pk, direction


def _branches(user: User) -> list[QuerySet[Alert]]:
    """The user's alerts as parts that each walk one index in order: the alerts to them
    (``alert_recipient_newest``) and their team's (``alert_organisation_newest``). On
    PostgreSQL a page is the ordered merge of the two (``UNION ALL`` of two index range scans,
    each stopping at the page's size), never a sort of a whole team inbox; SQLite, for
    development, takes the one query."""
    q = _visibility_q(user)
    if q is None:
        return []
    if connection.vendor != "postgresql":
        return [Alert.objects.filter(q)]
    branches = [Alert.objects.filter(recipient_id=user.pk)]
    if receives_team_alerts(user):
        branches.append(Alert.objects.filter(organisation_id=user.organisation_id))
    return branches


def alert_page(
    *,
    user: User,
    cursor: str | None,
    page_size: int,
    narrow: Callable[[QuerySet[Alert]], QuerySet[Alert]] | None = None,
) -> KeysetPage:
    """A keyset page of the user's alerts (their own and their team's) newest first, never
    OFFSET: ``next`` goes to older alerts, ``previous`` to newer ones. ``narrow`` filters each
    part (the inbox's ``AlertFilterSet``). A cursor that is not ours raises
    ``ApplicationError`` (400)."""
    direction = "n"
    order = ["-created_at", "-id"]
    beyond_cursor = None
    if cursor:
        at, pk, direction = _cursor_key(cursor)
        op = "<" if direction == "n" else ">"
        beyond_cursor = RawSQL(  # noqa: S611 - our own column names; values are bound parameters
            f'("alerts_alert"."created_at", "alerts_alert"."id") {op} (%s, %s)',
            # As the column stores it (SQLite: UTC text), so equal times compare equal.
            [Alert._meta.get_field("created_at").get_db_prep_value(at, connection), pk],
            output_field=BooleanField(),
        )
        if direction == "p":
            order = ["created_at", "id"]
    parts = []
    for branch in _branches(user):
        if narrow is not None:
            branch = narrow(branch)
        if beyond_cursor is not None:
            branch = branch.filter(beyond_cursor)
        parts.append(branch.order_by(*order).values_list("id", "created_at")[: page_size + 1])
    if not parts:
        return KeysetPage([], None, None)
    merged = parts[0] if len(parts) == 1 else parts[0].union(*parts[1:], all=True)
    keys = list(merged.order_by(*order)[: page_size + 1]) if len(parts) > 1 else list(merged)
    has_more = len(keys) > page_size
    ids = [pk for pk, _ in keys[:page_size]]
    found = {a.pk: a for a in Alert.objects.filter(pk__in=ids).select_related(*ALERT_RELATED)}
    rows = [found[pk] for pk in ids if pk in found]
    if direction == "p":
        rows.reverse()
    if not rows:
        return KeysetPage(rows, None, None)

    def at(alert: Alert, edge: str) -> str:
        return keyset_encode([alert.created_at.isoformat(), alert.pk], edge)

    if direction == "n":
        return KeysetPage(
            rows,
            at(rows[-1], "n") if has_more else None,
            at(rows[0], "p") if cursor else None,
        )
    return KeysetPage(rows, at(rows[-1], "n"), at(rows[0], "p") if has_more else None)
