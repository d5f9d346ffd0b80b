"""Referral lifecycle: creation, status transitions and the RTT clock (docs/product.md §2)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from audit.models import AuditAction
from audit.services import AuditContext, audit_record
from core.errors import ApplicationError, ConflictError
from directory.models import PROVIDER_KINDS, Organisation, OrganisationKind, Patient, User
from triage import permissions, rules
from triage.models import (
    OPEN_STATUSES,
    UBRN_VALIDATOR,
    AdviceRequest,
    EventKind,
    Priority,
    Referral,
    Status,
    TreatmentFunction,
)
from triage.rules import clock_start_errors
from triage.services.history import referral_audit_update, referral_event_record
from triage.services.queue import queue_recompute_on_commit
from triage.services.relationships import referral_relationship_errors

# No RTT clock started before this day: an earlier date is a typing slip or an attempt to jump
# the queue (a backdated clock puts the referral first in queue order, docs/product.md §2).


def referral_validate(
    *,
    ubrn: str | None,
    external_id: str,
    referring_practice: Organisation | None,
    provider: Organisation | None,
    priority: str,
    clock_start: date | None,
    today: date,
    date_of_birth: date | None,
) -> dict[str, list[str]]:
    """Field errors for a new referral (shared by the API, the browser and the PTL import).

    ``date_of_birth`` is the patient's (None only where it is not known yet): the clock
    cannot start before it (:func:`clock_start_errors`)."""
    errors: dict[str, list[str]] = {}
    if ubrn:
        if not UBRN_VALIDATOR.regex.match(ubrn):
            errors["ubrn"] = ["A UBRN is 12 digits."]
    elif not external_id:
        errors["ubrn"] = ["Give a UBRN, or an external id where there is none."]
    if referring_practice is not None and referring_practice.kind != OrganisationKind.GP_PRACTICE:
        errors["referring_practice"] = [f"{referring_practice.ods_code} is not a GP practice."]
    if provider is not None and provider.kind not in PROVIDER_KINDS:
        errors["provider"] = [f"{provider.ods_code} is not a trust or community provider."]
    if priority not in Priority.values:
        errors["priority"] = [f"Choose one of: {'; '.join(Priority.labels)}."]
    if clock_start is not None and (
        problems := clock_start_errors(
            clock_start=clock_start, date_of_birth=date_of_birth, today=today
        )
    ):
        errors["clock_start"] = [f"{problem[0].upper()}{problem[1:]}." for problem in problems]
    return errors


@transaction.atomic
def referral_create(
    *,
    actor: User | None,
    context: AuditContext,
    patient: Patient,
    referring_practice: Organisation,
    provider: Organisation,
    treatment_function: TreatmentFunction,
    priority: str,
    clock_start: date,
    reason: str = "",
    ubrn: str | None = None,
    external_id: str = "",
    referring_clinician: User | None = None,
    redirected_from: Referral | None = None,
    from_advice: AdviceRequest | None = None,
) -> Referral:
    """A new referral. It must start from the patient's own relationship
    (:func:`referral_relationship_errors`): the registered practice refers, the provider makes an
    onward referral (``redirected_from``), or the specialist asked converts an Advice & Guidance
    request (``from_advice``)."""
    today = timezone.localdate()
    errors = referral_validate(
        ubrn=ubrn,
        external_id=external_id,
        referring_practice=referring_practice,
        provider=provider,
        priority=priority,
        clock_start=clock_start,
        today=today,
        date_of_birth=patient.date_of_birth,
    )
    if ubrn and Referral.objects.filter(ubrn=ubrn).exists():
        errors.setdefault("ubrn", []).append(f"A referral with UBRN {ubrn} already exists.")
    relationship = referral_relationship_errors(
        actor=actor,
        patient=patient,
        referring_practice=referring_practice,
        provider=provider,
        redirected_from=redirected_from,
        from_advice=from_advice,
    )
    for field, messages in relationship.items():
        errors.setdefault(field, []).extend(messages)
    if errors:
        raise ApplicationError("The referral was not created.", field_errors=errors)
    referral = Referral.objects.create(
        ubrn=ubrn or None,
        external_id=external_id,
        patient=patient,
        referring_practice=referring_practice,
        referring_clinician=referring_clinician,
        provider=provider,
        treatment_function=treatment_function,
        priority=priority,
        clock_start=clock_start,
        reason=reason,
        redirected_from=redirected_from,
        **rules.queue_fields(category=None, priority=priority, clock_start=clock_start),
    )
    referral_event_record(referral, actor, EventKind.CREATED, to_status=referral.status)
    referral_event_record(
        referral, actor, EventKind.CLOCK, clock_start_after=clock_start, note="RTT clock started"
    )
    audit_record(
        actor=actor,
        context=context,
        action=AuditAction.CREATE,
        object_type="referral",
        patient_ids=[patient.pk],
        object_ids=[str(referral.uuid)],
    )
    queue_recompute_on_commit(provider.pk, treatment_function.pk)
    return referral


def referral_lock(referral: Referral, *, version: int | None = None) -> Referral:
    """Re-read the referral under a row lock; with ``version``, refuse a stale writer (409)."""
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    if version is not None and locked.version != version:
        raise ConflictError(
            "Someone else changed this referral while you were working on it.",
            current={"status": locked.status, "version": locked.version},
        )
    return locked


def _require_provider(actor: User, referral: Referral) -> None:
    if not permissions.can_manage_pathway(actor, referral):
        raise ApplicationError("Only the provider's clinicians can manage this referral's pathway.")


def referral_transition(
    *, referral: Referral, actor: User | None, to_status: str, note: str = "", **changes
) -> Referral:
    """Move a locked referral to ``to_status`` if the rules allow it; record the history.

    Call inside a transaction, on a referral from :func:`referral_lock`.
    """
    if not rules.can_transition(referral.status, to_status):
        raise ApplicationError(
            f"A referral that is {Status(referral.status).label.lower()} cannot become "
            f"{Status(to_status).label.lower()}.",
            field_errors={
                "status": [
                    f"Not allowed from {Status(referral.status).label} "
                    f"to {Status(to_status).label}."
                ]
            },
        )
    from_status = referral.status
    referral.status = to_status
    if to_status not in OPEN_STATUSES:
        # Out of the queue for good: the recomputation reads only open rows (triage.queue).
        referral.position = None
    for name, value in changes.items():
        setattr(referral, name, value)
    referral.version = F("version") + 1
    referral.save()
    referral.refresh_from_db()
    referral_event_record(
        referral, actor, EventKind.STATUS, from_status=from_status, to_status=to_status, note=note
    )
    queue_recompute_on_commit(referral.provider_id, referral.treatment_function_id)
    return referral


@transaction.atomic
def referral_book(
    *, referral: Referral, actor: User, context: AuditContext, appointment_on: date
) -> Referral:
    """Book (or rebook after a DNA). RTT: a rebooking after a first-appointment DNA restarts
    the clock on the rebooking date."""
    _require_provider(actor, referral)
    referral = referral_lock(referral)
    today = timezone.localdate()
    if appointment_on < today:
        raise ApplicationError(
            "The appointment is in the past.",
            field_errors={"appointment_on": ["Choose today or a later date."]},
        )
    changes: dict = {
        "appointment_on": appointment_on,
        "appointments_booked": referral.appointments_booked + 1,
        "awaiting_rebook": False,
    }
    restart = referral.clock_restart_pending
    if restart:
        changes["clock_start"] = today
        changes["clock_restart_pending"] = False
        changes.update(
            rules.queue_fields(
                category=referral.category, priority=referral.priority, clock_start=today
            )
        )
    before = referral.clock_start
    referral = referral_transition(
        referral=referral,
        actor=actor,
        to_status=Status.BOOKED,
        note=f"Appointment {appointment_on:%d %b %Y}",
        **changes,
    )
    if restart:
        referral_event_record(
            referral,
            actor,
            EventKind.CLOCK,
            clock_start_before=before,
            clock_start_after=today,
            note="RTT clock restarted at rebooking after a first-appointment DNA",
        )
    referral_audit_update(actor, context, referral, "booked")
    return referral


@transaction.atomic
def referral_record_dna(*, referral: Referral, actor: User, context: AuditContext) -> Referral:
    """The patient did not attend. The provider rebooks: it never asks the GP to re-refer.

    National RTT rules: a DNA of the first appointment nullifies the clock, which restarts at
    the rebooking; a DNA of a later appointment leaves the clock running.
    """
    _require_provider(actor, referral)
    referral = referral_lock(referral)
    first_appointment = referral.appointments_booked <= 1
    referral = referral_transition(
        referral=referral,
        actor=actor,
        to_status=Status.ACCEPTED,
        note="Did not attend: to rebook",
        dna_count=referral.dna_count + 1,
        awaiting_rebook=True,
        clock_restart_pending=first_appointment,
    )
    if first_appointment:
        referral_event_record(
            referral,
            actor,
            EventKind.CLOCK,
            clock_start_before=referral.clock_start,
            note="RTT clock nullified: first appointment not attended; restarts at rebooking",
        )
    referral_audit_update(actor, context, referral, "did not attend")
    return referral


@transaction.atomic
def referral_stop_clock(
    *, referral: Referral, actor: User, context: AuditContext, outcome: str, note: str = ""
) -> Referral:
    """Treatment started or the patient discharged: the RTT clock stops today."""
    if outcome not in (Status.TREATED, Status.DISCHARGED):
        raise ApplicationError(
            "Unknown outcome.",
            field_errors={
                "outcome": [f"Choose {Status.TREATED.label} or {Status.DISCHARGED.label}."]
            },
        )
    _require_provider(actor, referral)
    referral = referral_lock(referral)
    today = timezone.localdate()
    referral = referral_transition(
        referral=referral,
        actor=actor,
        to_status=outcome,
        note=note,
        clock_stopped_on=today,
        awaiting_rebook=False,
    )
    referral_event_record(
        referral, actor, EventKind.CLOCK, note=f"RTT clock stopped on {today:%d %b %Y}"
    )
    referral_audit_update(actor, context, referral, outcome)
    return referral


@transaction.atomic
def referral_cancel(
    *, referral: Referral, actor: User, context: AuditContext, reason: str
) -> Referral:
    if not permissions.can_cancel(actor, referral):
        raise ApplicationError("Only the provider or the referring practice can cancel a referral.")
    if not reason.strip():
        raise ApplicationError("A reason is required.", field_errors={"reason": ["Say why."]})
    referral = referral_lock(referral)
    referral = referral_transition(
        referral=referral, actor=actor, to_status=Status.CANCELLED, note=reason
    )
    referral_audit_update(actor, context, referral, "cancelled")
    return referral


def referral_redirect(
    *,
    referral: Referral,
    actor: User,
    context: AuditContext,
    provider: Organisation,
    treatment_function: TreatmentFunction,
    note: str,
) -> Referral:
    """Onward referral made by the provider itself (NHS Standard Contract: never bounced back
    to the GP). The new referral keeps the patient's clock start: the same pathway goes on.
    Call inside the review's transaction, on a locked referral."""
    if (
        provider.pk == referral.provider_id
        and treatment_function.pk == referral.treatment_function_id
    ):
        raise ApplicationError(
            "Redirect to a different service.",
            field_errors={
                "redirect_treatment_function": ["That is the service it is already with."]
            },
        )
    referral_transition(referral=referral, actor=actor, to_status=Status.REDIRECTED, note=note)
    onward = referral_create(
        actor=actor,
        context=context,
        patient=referral.patient,
        referring_practice=referral.referring_practice,
        referring_clinician=referral.referring_clinician,
        provider=provider,
        treatment_function=treatment_function,
        priority=referral.priority,
        clock_start=referral.clock_start,
        reason=f"Onward referral from {referral.provider.name}: {note}\n\n{referral.reason}".strip(),
        external_id=f"onward:{referral.uuid}",
        redirected_from=referral,
    )
    return onward
