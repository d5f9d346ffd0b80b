"""Advice both ways: a consultant asks the referring GP; a GP asks a specialist before
referring (Advice & Guidance), which the specialist may convert to a referral."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from audit.models import AuditAction
from audit.services import AuditContext, audit_record
from core.errors import ApplicationError
from directory.models import Organisation, Patient, User
from triage import permissions
from triage.models import (
    AdviceDirection,
    AdviceRequest,
    AdviceStatus,
    Priority,
    Referral,
    Status,
    TreatmentFunction,
)
from triage.services.referrals import referral_create, referral_lock, referral_transition


def _audit(actor, context, advice: AdviceRequest, action: str, detail: str) -> None:
    audit_record(
        actor=actor,
        context=context,
        action=action,
        object_type="advice_request",
        patient_ids=[advice.patient_id],
        object_ids=[str(advice.uuid)],
        detail=detail,
    )


@transaction.atomic
def advice_reply(
    *, advice: AdviceRequest, actor: User, context: AuditContext, answer: str
) -> AdviceRequest:
    """Answer an advice request. A GP's answer returns the referral to review."""
    advice = AdviceRequest.objects.select_for_update().get(pk=advice.pk)
    if not permissions.can_reply_to_advice(actor, advice):
        raise ApplicationError("Only the clinicians asked can answer this request.")
    if advice.status != AdviceStatus.AWAITING_REPLY:
        raise ApplicationError(
            "This request has already been answered.",
            field_errors={"answer": ["Already answered."]},
        )
    if not answer.strip():
        raise ApplicationError("Write an answer.", field_errors={"answer": ["Write an answer."]})
    advice.answer = answer.strip()
    advice.answered_by = actor
    advice.answered_at = timezone.now()
    advice.status = AdviceStatus.ANSWERED
    advice.save()
    if advice.direction == AdviceDirection.TO_GP and advice.referral_id:
        referral = referral_lock(advice.referral)
        if referral.status == Status.ADVICE_REQUESTED:
            referral_transition(
                referral=referral,
                actor=actor,
                to_status=Status.UNDER_REVIEW,
                note="GP answered: back to review",
            )
    _audit(actor, context, advice, AuditAction.UPDATE, "answered")
    return advice


@transaction.atomic
def advice_guidance_request(
    *,
    actor: User,
    context: AuditContext,
    patient: Patient,
    provider: Organisation,
    treatment_function: TreatmentFunction,
    question: str,
) -> AdviceRequest:
    """A GP asks a specialist service for advice before (or instead of) referring, about a
    patient registered at their practice. The request lets the specialist see the patient, so
    sight through a panel or a referral is never enough to ask (docs/product.md §1)."""
    if not permissions.can_refer(actor):
        raise ApplicationError("Only a GP can ask for Advice & Guidance.")
    if not permissions.can_refer_patient(actor, patient):
        raise ApplicationError(
            "The patient is not registered at your practice.",
            field_errors={
                "nhs_number": [
                    "No patient registered at your practice has this NHS number: ask for "
                    "Advice & Guidance about your own practice's patients only."
                ]
            },
        )
    if not question.strip():
        raise ApplicationError(
            "Write your question.", field_errors={"question": ["Write your question."]}
        )
    advice = AdviceRequest.objects.create(
        direction=AdviceDirection.TO_SPECIALIST,
        patient=patient,
        practice=actor.organisation,
        provider=provider,
        treatment_function=treatment_function,
        question=question.strip(),
        asked_by=actor,
    )
    _audit(actor, context, advice, AuditAction.CREATE, "advice and guidance requested")
    return advice


@transaction.atomic
def advice_convert_to_referral(
    *, advice: AdviceRequest, actor: User, context: AuditContext, priority: str, note: str = ""
) -> Referral:
    """The specialist turns an Advice & Guidance request into a referral. We start the RTT
    clock on the day of conversion (national RTT rules for A&G converted to a referral)."""
    advice = AdviceRequest.objects.select_for_update().get(pk=advice.pk)
    if not permissions.can_convert_advice(actor, advice):
        raise ApplicationError("Only the specialist service asked can convert this request.")
    if advice.status in (AdviceStatus.CONVERTED, AdviceStatus.CLOSED):
        raise ApplicationError("This request is already closed.")
    if priority not in Priority.values:
        raise ApplicationError(
            "Choose a priority.",
            field_errors={"priority": [f"Choose one of: {'; '.join(Priority.labels)}."]},
        )
    referral = referral_create(
        actor=actor,
        context=context,
        patient=advice.patient,
        referring_practice=advice.practice,
        referring_clinician=advice.asked_by,
        provider=advice.provider,
        treatment_function=advice.treatment_function,
        priority=priority,
        clock_start=timezone.localdate(),
        reason=f"Converted from Advice & Guidance.\nQuestion: {advice.question}\n{note}".strip(),
        external_id=f"ag:{advice.uuid}",
        from_advice=advice,
    )
    advice.status = AdviceStatus.CONVERTED
    advice.converted_referral = referral
    if not advice.answered_at:
        advice.answered_by = actor
        advice.answered_at = timezone.now()
        advice.answer = note or "Converted to a referral."
    advice.save()
    _audit(actor, context, advice, AuditAction.UPDATE, "converted to referral")
    return referral
