"""The audit of a diagnostics change, shared by the services (docs/product.md §1)."""

from __future__ import annotations

from audit.models import AuditAction
from audit.services import AuditContext, audit_record

BOOKING = "diagnostic_booking"
RESULT = "diagnostic_result"
SLOT = "diagnostic_slot"


def audit_change(
    *,
    actor,
    context: AuditContext,
    object_type: str,
    record,
    patient_id: int | None,
    detail: str,
    created: bool = False,
) -> None:
    """One event for a created or changed record, naming its patient (none for a slot)."""
    audit_record(
        actor=actor,
        context=context,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        object_type=object_type,
        patient_ids=[patient_id],
        object_ids=[str(record.uuid)],
        detail=detail,
    )
