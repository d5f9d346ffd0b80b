"""What the services that open obligations share: writing them and auditing them."""

from __future__ import annotations

from datetime import datetime

from audit.models import AuditAction
from audit.services import AuditContext, audit_record
from contracts import rules
from contracts.models import Obligation, ObligationStatus
from directory.models import Organisation, Patient, User


def obligations_open(
    *,
    opened: list[rules.Opened],
    provider: Organisation,
    patient: Patient,
    event_at: datetime,
    actor: User | None,
    **source,
) -> list[Obligation]:
    """Write the obligations an event opens, in one INSERT. One the event itself fulfilled
    (a fit note issued, a week's medication supplied) is written met at the event's time."""
    obligations = [
        Obligation(
            duty=item.duty,
            provider=provider,
            patient=patient,
            event_at=event_at,
            due_at=rules.due_at(item.duty, event_at),
            status=ObligationStatus.MET if item.met else ObligationStatus.OPEN,
            fulfilled_at=event_at if item.met else None,
            fulfilled_by=actor if item.met else None,
            **source,
        )
        for item in opened
    ]
    return Obligation.objects.bulk_create(obligations)


def audit_created(
    *,
    actor: User | None,
    context: AuditContext,
    object_type: str,
    records: list,
    detail: str = "",
) -> None:
    """One "create" event per record (each carries ``patient_id`` and ``uuid``)."""
    audit_record(
        actor=actor,
        context=context,
        action=AuditAction.CREATE,
        object_type=object_type,
        patient_ids=[r.patient_id for r in records],
        object_ids=[str(r.uuid) for r in records],
        detail=detail,
    )
