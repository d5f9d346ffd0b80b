"""Writes to the audit trail: one event per patient touched, in one statement. The database's
chain trigger links and hashes each row (audit/chain.py), whoever writes it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from audit.models import AuditClient, AuditEvent


@dataclass(frozen=True)
class AuditContext:
    """Where a request came from, for the audit trail."""

    client: str
    ip_address: str | None = None
    user_agent: str = ""


COMMAND_CONTEXT = AuditContext(client=AuditClient.COMMAND)
TASK_CONTEXT = AuditContext(client=AuditClient.TASK)


def audit_record(
    *,
    actor,
    context: AuditContext,
    action: str,
    object_type: str,
    patient_ids: Iterable[int | None],
    object_ids: Iterable[str] | None = None,
    detail: str = "",
) -> None:
    """Write one audit event per patient touched, in a single INSERT, linked into the chain."""
    patient_ids = list(patient_ids)
    object_ids = [str(o) for o in object_ids] if object_ids is not None else [""] * len(patient_ids)
    if len(object_ids) != len(patient_ids):
        raise ValueError("audit_record: one object id per patient id")
    if not patient_ids:
        return
    user_id = actor.pk if actor is not None and actor.is_authenticated else None
    shared = {
        "user_id": user_id,
        "action": action,
        "client": context.client,
        "object_type": object_type,
        "ip_address": context.ip_address,
        "user_agent": context.user_agent,
        "detail": detail[:300],
    }
    if connection.vendor == "postgresql":
        _audit_insert_arrays(shared, patient_ids, object_ids)
        return
    AuditEvent.objects.bulk_create(
        AuditEvent(patient_id=patient_id, object_id=object_id, **shared)
        for patient_id, object_id in zip(patient_ids, object_ids, strict=True)
    )


def audit_records_shown(
    *, actor, context: AuditContext, records, action: str, object_type: str
) -> None:
    """One audit event per record a page or response shows, in one INSERT: each record is a
    model instance or a ``.values()`` row carrying ``patient_id`` and ``uuid``."""
    records = list(records)
    if not records:
        return

    def field(record, name: str):
        return record[name] if isinstance(record, dict) else getattr(record, name)

    audit_record(
        actor=actor,
        context=context,
        action=action,
        object_type=object_type,
        patient_ids=[field(r, "patient_id") for r in records],
        object_ids=[str(field(r, "uuid")) for r in records],
    )


def _audit_insert_arrays(shared: dict, patient_ids: list, object_ids: list[str]) -> None:
    """The same rows as ``bulk_create``, as one statement with the per-row values bound as two
    arrays: a queue page's fifty events cost one round trip and no per-row ORM work."""
    columns = ", ".join(shared)
    placeholders = ", ".join(["%s"] * len(shared))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {AuditEvent._meta.db_table} "  # noqa: S608 - our own column names
            f"(at, patient_id, object_id, {columns}) "
            f"SELECT %s, t.patient_id, t.object_id, {placeholders} "
            "FROM unnest(%s::bigint[], %s::varchar[]) AS t(patient_id, object_id)",
            [timezone.now(), *shared.values(), patient_ids, object_ids],
        )
