"""Fulfilling an obligation: recording the document or action (docs/product.md §5)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from audit.models import AuditAction
from audit.services import AuditContext, audit_record
from contracts import permissions, rules
from contracts.models import FULFILLED_STATUSES, Obligation, ObligationStatus
from core.errors import ApplicationError, ConflictError
from directory.models import User

MAX_NOTE = 2000


@transaction.atomic
def obligation_fulfil(
    *,
    obligation: Obligation,
    actor: User,
    context: AuditContext,
    at: datetime | None = None,
    note: str = "",
) -> Obligation:
    """Record that the document was sent or the action done, ``at`` (now if not given; never
    in the future, never before the event): ``met`` by the due time, ``met_late`` after it.
    An overdue obligation fulfilled closes as met late; its alerts stay as raised. Fulfilling
    one already fulfilled is a conflict (409) naming when."""
    if not permissions.can_fulfil(actor, obligation):
        raise ApplicationError("Only the provider's clinicians record what fulfils its duty.")
    now = timezone.now()
    at = at or now
    errors: dict[str, list[str]] = {}
    if timezone.is_naive(at):
        errors["at"] = ["Give the time with its offset, e.g. 2026-03-02T14:30:00+00:00."]
    elif at > now:
        errors["at"] = ["It is in the future."]
    elif at < obligation.event_at:
        errors["at"] = [
            f"It is before the event that opened the obligation "
            f"({timezone.localtime(obligation.event_at):%d %b %Y %H:%M})."
        ]
    if len(note) > MAX_NOTE:
        errors["note"] = [f"Keep it to {MAX_NOTE} characters."]
    if errors:
        raise ApplicationError("The obligation was not fulfilled.", field_errors=errors)
    locked = Obligation.objects.select_for_update().get(pk=obligation.pk)
    if locked.status in FULFILLED_STATUSES:
        raise ConflictError(
            f"This obligation was already recorded as {ObligationStatus(locked.status).label.lower()}.",
            current={"status": locked.status, "fulfilled_at": locked.fulfilled_at.isoformat()},
        )
    locked.status = rules.fulfilment_status(due=locked.due_at, at=at)
    locked.fulfilled_at = at
    locked.fulfilled_by = actor
    locked.note = note.strip()
    locked.save(update_fields=["status", "fulfilled_at", "fulfilled_by", "note"])
    audit_record(
        actor=actor,
        context=context,
        action=AuditAction.UPDATE,
        object_type="obligation",
        patient_ids=[locked.patient_id],
        object_ids=[str(locked.uuid)],
        detail=f"fulfilled: {locked.status}",
    )
    # The caller's instance keeps its joins (patient, provider) for the response.
    obligation.status, obligation.fulfilled_at = locked.status, locked.fulfilled_at
    obligation.fulfilled_by, obligation.note = actor, locked.note
    return obligation
