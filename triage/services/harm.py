"""Clinical harm reviews for long and breached waits (docs/product.md §2)."""

from __future__ import annotations

from django.db import transaction

from audit.services import AuditContext
from core.errors import ApplicationError
from directory.models import User
from triage import permissions, rules
from triage.models import (
    QUEUE_CATEGORIES_FOR_HARM,
    EventKind,
    HarmOutcome,
    HarmReview,
    Referral,
    Status,
)
from triage.services.history import referral_audit_update, referral_event_record
from triage.services.queue import queue_recompute_on_commit
from triage.services.referrals import (
    referral_lock,
    referral_transition,
)


@transaction.atomic
def harm_review_record(
    *,
    referral: Referral,
    reviewer: User,
    context: AuditContext,
    outcome: str,
    notes: str,
    new_category: str = "",
    patient_agreed: bool = False,
) -> HarmReview:
    if not permissions.can_harm_review(reviewer, referral):
        raise ApplicationError(
            "Only a clinician of the provider or the referral's panel can do this."
        )
    errors: dict[str, list[str]] = {}
    if outcome not in HarmOutcome.values:
        errors["outcome"] = [f"Choose one of: {'; '.join(HarmOutcome.labels)}."]
    if not notes.strip():
        errors["notes"] = ["Record the clinical findings."]
    if outcome == HarmOutcome.REPRIORITISED and new_category not in QUEUE_CATEGORIES_FOR_HARM:
        errors["new_category"] = ["Choose the new category (P1a to P4)."]
    if outcome == HarmOutcome.REMOVE and not patient_agreed:
        errors["patient_agreed"] = ["Removal needs the patient's agreement."]
    if errors:
        raise ApplicationError("The harm review was not saved.", field_errors=errors)
    referral = referral_lock(referral)
    if not referral.is_open:
        raise ApplicationError(
            "This referral is closed.", field_errors={"status": [referral.get_status_display()]}
        )
    review = HarmReview.objects.create(
        referral=referral,
        reviewer=reviewer,
        outcome=outcome,
        notes=notes.strip(),
        new_category=new_category if outcome == HarmOutcome.REPRIORITISED else "",
        patient_agreed=patient_agreed,
    )
    if outcome == HarmOutcome.REPRIORITISED:
        before = referral.category
        referral.category = new_category
        for name, value in rules.queue_fields(
            category=new_category, priority=referral.priority, clock_start=referral.clock_start
        ).items():
            setattr(referral, name, value)
        referral.save()
        referral_event_record(
            referral,
            reviewer,
            EventKind.CATEGORY,
            note=f"Harm review: {before or 'provisional'} → {new_category}",
        )
        queue_recompute_on_commit(referral.provider_id, referral.treatment_function_id)
    elif outcome == HarmOutcome.REMOVE:
        referral_transition(
            referral=referral,
            actor=reviewer,
            to_status=Status.DISCHARGED,
            note="Removed after harm review: clinical decision with the patient's agreement",
            clock_stopped_on=review.created_at.date(),
        )
    else:
        referral_event_record(
            referral, reviewer, EventKind.NOTE, note=f"Harm review: {HarmOutcome(outcome).label}"
        )
    referral_audit_update(reviewer, context, referral, f"harm review {outcome}")
    return review
