"""What every prescribing service records as it changes something: an audit event naming the
patient (or none, for a budget). Shared by the budget, prescription and agreement services."""

from __future__ import annotations

from audit.services import AuditContext, audit_record
from directory.models import User


def audit_change(
    *,
    actor: User | None,
    context: AuditContext,
    action: str,
    object_type: str,
    record,
    patient_id: int | None,
    detail: str = "",
) -> None:
    audit_record(
        actor=actor,
        context=context,
        action=action,
        object_type=object_type,
        patient_ids=[patient_id],
        object_ids=[str(record.uuid)],
        detail=detail,
    )


def field_error(field: str, message: str) -> dict[str, list[str]]:
    return {field: [message]}
