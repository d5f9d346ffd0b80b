"""What every triage service records as it changes a referral: an entry in the referral's own
history, and an audit event of the change. Shared by the referral, review, harm-review and
advice services."""

from __future__ import annotations

from audit.models import AuditAction
from audit.services import AuditContext, audit_record
from directory.models import User
from triage.models import Referral, ReferralEvent


def referral_event_record(
    referral: Referral, actor: User | None, kind: str, **fields
) -> ReferralEvent:
    """Add an entry (status change, clock change, category change, note) to the history."""
    return ReferralEvent.objects.create(
        referral=referral,
        actor=actor if actor is not None and actor.is_authenticated else None,
        kind=kind,
        **fields,
    )


def referral_audit_update(
    actor: User | None, context: AuditContext, referral: Referral, detail: str
) -> None:
    """Audit a change to the referral (action "update")."""
    audit_record(
        actor=actor,
        context=context,
        action=AuditAction.UPDATE,
        object_type="referral",
        patient_ids=[referral.patient_id],
        object_ids=[str(referral.uuid)],
        detail=detail,
    )
