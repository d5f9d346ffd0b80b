"""Raising alerts: the one way any app puts something in someone's inbox (docs/alerts.md)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from alerts.models import Alert

# Rows per INSERT statement when raising many alerts at once.
_CHUNK = 500


@dataclass(frozen=True)
class AlertDraft:
    """An alert to raise. Give ``recipient_id`` (a user) or ``organisation_id`` (its staff), not
    both. ``key`` names the fact, e.g. ``"diagnostics.result_unacknowledged:<result uuid>"``;
    ``subject`` must not name the patient (it is emailed); ``link`` is the record's path."""

    kind: str
    key: str
    subject: str
    link: str = ""
    recipient_id: int | None = None
    organisation_id: int | None = None
    patient_id: int | None = None

    def __post_init__(self) -> None:
        if (self.recipient_id is None) == (self.organisation_id is None):
            raise ValueError("An alert goes to one user or one organisation.")


def alerts_raise(drafts: Iterable[AlertDraft]) -> int:
    """Raise each alert whose key has never been raised; return how many were new.

    One ``INSERT … ON CONFLICT (key) DO NOTHING`` per chunk: two sweeps raising the same
    alerts at once both succeed, and exactly one row exists per key. Call it inside the
    transaction that records why the alert is due, so both commit or neither does.
    """
    table = Alert._meta.db_table
    columns = (
        "uuid, kind, key, subject, link, recipient_id, organisation_id, patient_id, created_at"
    )
    now = timezone.now()
    raised = 0
    batch: list[AlertDraft] = []

    def flush() -> int:
        if not batch:
            return 0
        placeholders = ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s, %s)"] * len(batch))
        params: list = []
        for d in batch:
            params += [
                uuid.uuid4().hex if connection.vendor == "sqlite" else uuid.uuid4(),
                d.kind,
                d.key,
                d.subject[:300],
                d.link,
                d.recipient_id,
                d.organisation_id,
                d.patient_id,
                now,
            ]
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {placeholders} "  # noqa: S608
                "ON CONFLICT (key) DO NOTHING RETURNING id",
                params,
            )
            count = len(cursor.fetchall())
        batch.clear()
        return count

    for draft in drafts:
        batch.append(draft)
        if len(batch) >= _CHUNK:
            raised += flush()
    raised += flush()
    return raised
