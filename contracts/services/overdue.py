"""Overdue detection (docs/product.md §5; docs/architecture.md, "Follow-up work and sweeps").

The sweep ``contracts.obligations_overdue`` (beat every ``SWEEP_CONTRACTS_OVERDUE_MINUTES``, and
``run_sweeps``) marks the open obligations whose due time has passed, in batches of
``CONTRACTS_OVERDUE_BATCH``, and raises one alert for each to the provider and one to the
patient's registered practice. For each batch, in one transaction:

1. one ``UPDATE … SET status = 'overdue' … WHERE status = 'open' AND due_at < now``, over the
   rows a ``SELECT … FOR UPDATE SKIP LOCKED`` picked (PostgreSQL): a second sweep running at
   the same time skips the rows the first holds, and once the first commits they are no longer
   open, so no row is marked twice;
2. the alerts for exactly the rows marked, keyed ``contracts.overdue:<uuid>:provider`` and
   ``…:practice`` (``alerts.services.alerts_raise``, ``ON CONFLICT (key) DO NOTHING``).

The marks and the alerts commit together or not at all: a worker killed after marking leaves
the rows open, and the next run marks them and raises each alert once.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from alerts.services import AlertDraft, alerts_raise
from contracts.models import Duty, Obligation

ALERT_KIND = "contracts.obligation_overdue"
TABLE = Obligation._meta.db_table


def alert_key(obligation_uuid, recipient: str) -> str:
    """``recipient`` is ``provider`` or ``practice``."""
    return f"contracts.overdue:{obligation_uuid}:{recipient}"


def _mark_sql() -> str:
    """Mark up to %(batch)s open obligations past due as overdue; return their ids."""
    if connection.vendor == "postgresql":
        return f"""
            WITH due AS (
                SELECT id FROM {TABLE}
                WHERE status = 'open' AND due_at < %(now)s
                ORDER BY due_at, id
                LIMIT %(batch)s
                FOR UPDATE SKIP LOCKED
            )
            UPDATE {TABLE} AS o SET status = 'overdue', overdue_at = %(now)s
            FROM due WHERE o.id = due.id AND o.status = 'open'
            RETURNING o.id
        """  # noqa: S608 - the table name is ours; values are bound
    # SQLite serialises writers: the statement itself is the lock.
    return f"""
        UPDATE {TABLE} SET status = 'overdue', overdue_at = %(now)s
        WHERE id IN (
            SELECT id FROM {TABLE} WHERE status = 'open' AND due_at < %(now)s
            ORDER BY due_at, id LIMIT %(batch)s
        )
        RETURNING id
    """  # noqa: S608 - the table name is ours; values are bound


def _subject(duty: str, due_at, *, provider_name: str | None = None) -> str:
    """No patient identifier: subjects are emailed (alerts.models.Alert)."""
    due = timezone.localtime(due_at)
    where = f" by {provider_name}" if provider_name else ""
    return f"Overdue{where}: {Duty(duty).label.lower()}, due {due:%d %b %Y %H:%M}"


def _drafts(ids: list[int]) -> list[AlertDraft]:
    rows = Obligation.objects.filter(pk__in=ids).values(
        "uuid",
        "duty",
        "due_at",
        "provider_id",
        "provider__name",
        "patient_id",
        "patient__registered_practice_id",
    )
    # One reverse() for the batch: the link differs only by the id.
    placeholder = uuid.UUID(int=0)
    link_of = reverse("contracts:obligation-detail", args=[placeholder]).replace
    drafts = []
    for row in rows:
        link = link_of(str(placeholder), str(row["uuid"]))
        shared = {"kind": ALERT_KIND, "link": link, "patient_id": row["patient_id"]}
        drafts.append(
            AlertDraft(
                key=alert_key(row["uuid"], "provider"),
                subject=_subject(row["duty"], row["due_at"]),
                organisation_id=row["provider_id"],
                **shared,
            )
        )
        drafts.append(
            AlertDraft(
                key=alert_key(row["uuid"], "practice"),
                subject=_subject(row["duty"], row["due_at"], provider_name=row["provider__name"]),
                organisation_id=row["patient__registered_practice_id"],
                **shared,
            )
        )
    return drafts


@dataclass
class OverdueResult:
    marked: int = 0
    alerts: int = 0
    batches: int = 0


def obligations_mark_overdue_batch(*, now=None, batch: int | None = None) -> OverdueResult:
    """One batch, in one transaction: mark, then raise the marked rows' alerts."""
    now = now or timezone.now()
    batch = batch or settings.CONTRACTS_OVERDUE_BATCH
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            _mark_sql(), {"now": connection.ops.adapt_datetimefield_value(now), "batch": batch}
        )
        ids = [row[0] for row in cursor.fetchall()]
        if not ids:
            return OverdueResult()
        raised = alerts_raise(_drafts(ids))
    return OverdueResult(marked=len(ids), alerts=raised, batches=1)


def obligations_mark_overdue(*, now=None, batch: int | None = None) -> OverdueResult:
    """Every open obligation past due, batch after batch, until none is left that this run
    may take (a concurrent run holds the rest, or there are none)."""
    batch = batch or settings.CONTRACTS_OVERDUE_BATCH
    total = OverdueResult()
    while True:
        part = obligations_mark_overdue_batch(now=now, batch=batch)
        total.marked += part.marked
        total.alerts += part.alerts
        total.batches += part.batches
        if part.marked < batch:
            return total


def obligations_overdue_sweep() -> str:
    """The sweep: safe to run twice or concurrently; nothing is marked or raised twice."""
    result = obligations_mark_overdue()
    return f"{result.marked} obligation(s) marked overdue; {result.alerts} alert(s) raised."
