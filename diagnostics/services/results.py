"""Results: recorded by the hub, owned by the requester until a transfer they offered is
accepted, acknowledged by the owner with the action taken (docs/product.md §3)."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from audit.services import AuditContext
from core.errors import ApplicationError, ConflictError
from core.events import publish
from diagnostics import permissions, rules
from diagnostics.models import Booking, BookingStatus, Result
from diagnostics.services.audit import RESULT, audit_change
from diagnostics.services.bookings import mark_attendance
from directory.models import User
from directory.selectors import patients_visible_to

RESULT_RECORDED = "diagnostics.result_recorded"
VALUE_MAX = Result._meta.get_field("value").max_length
UNIT_MAX = Result._meta.get_field("unit").max_length


def result_link(result: Result) -> str:
    return f"/diagnostics/results/{result.uuid}/"


@transaction.atomic
def result_record(
    *,
    actor: User,
    context: AuditContext,
    booking: Booking,
    abnormal: bool,
    summary: str,
    value: str = "",
    unit: str = "",
    reported_at: datetime | None = None,
) -> Result:
    """Record a test's result (hub staff of the booked hub, once the slot has started). A test
    still marked booked is marked attended. The requester becomes responsible for it, and
    ``diagnostics.result_recorded`` is published in this transaction."""
    booking = (
        Booking.objects.select_for_update(of=("self",))
        .select_related("slot", "test_type")
        .get(pk=booking.pk)
    )
    if not permissions.can_record_result(actor, booking):
        raise PermissionDenied("Only the staff of the hub the test was booked at record results.")
    if Result.objects.filter(booking_id=booking.pk).exists():
        raise ConflictError("A result has already been recorded for this test.")
    if booking.status not in (BookingStatus.BOOKED, BookingStatus.ATTENDED):
        raise ConflictError(
            f"A booking that is {booking.get_status_display().lower()} has no result.",
            current={"status": booking.status},
        )
    now = timezone.now()
    reported_at = reported_at or now
    errors: dict[str, list[str]] = {}
    if booking.slot.starts_at > now:
        errors["booking"] = ["A result can be recorded once the appointment has started."]
    else:
        reported = rules.reported_at_errors(
            reported_at=reported_at, slot_starts_at=booking.slot.starts_at, now=now
        )
        if reported:
            errors["reported_at"] = reported
    if not (summary or "").strip():
        errors["summary"] = ["Enter the result or report."]
    if len(value or "") > VALUE_MAX:
        errors["value"] = [f"Enter at most {VALUE_MAX} characters."]
    if len(unit or "") > UNIT_MAX:
        errors["unit"] = [f"Enter at most {UNIT_MAX} characters."]
    if errors:
        raise ApplicationError("The result was not recorded.", field_errors=errors)
    if booking.status == BookingStatus.BOOKED:
        mark_attendance(booking, BookingStatus.ATTENDED)
    result = Result.objects.create(
        booking=booking,
        abnormal=bool(abnormal),
        summary=summary.strip(),
        value=(value or "").strip(),
        unit=(unit or "").strip(),
        reported_at=reported_at,
        recorded_by=actor,
        responsible_id=booking.requester_id,
        created_at=now,
    )
    audit_change(
        actor=actor,
        context=context,
        object_type=RESULT,
        record=result,
        patient_id=booking.patient_id,
        detail=f"{'abnormal' if result.abnormal else 'normal'} {booking.test_type.code}",
        created=True,
    )
    publish(
        RESULT_RECORDED,
        result_uuid=result.uuid,
        patient_id=booking.patient_id,
        requester_organisation_id=booking.requester_organisation_id,
        hub_id=booking.slot.hub_id,
        reported_at=result.reported_at,
        link=result_link(result),
    )
    return result


def _lock(result: Result) -> Result:
    return (
        Result.objects.select_for_update(of=("self",))
        .select_related("booking", "booking__test_type")
        .get(pk=result.pk)
    )


def _refuse_acknowledged(result: Result) -> None:
    if result.acknowledged_at is not None:
        raise ConflictError(
            "This result has already been acknowledged.",
            current={"acknowledged_at": result.acknowledged_at.isoformat()},
        )


@transaction.atomic
def result_acknowledge(
    *, actor: User, context: AuditContext, result: Result, action: str
) -> Result:
    """The responsible clinician records the action taken; any pending transfer offer lapses."""
    result = _lock(result)
    if not permissions.can_acknowledge(actor, result):
        raise PermissionDenied("Only the clinician responsible for this result can acknowledge it.")
    _refuse_acknowledged(result)
    if not (action or "").strip():
        raise ApplicationError(
            "The result was not acknowledged.",
            field_errors={"action": ["Say what action was taken."]},
        )
    result.acknowledged_at = timezone.now()
    result.acknowledged_by = actor
    result.action = action.strip()
    result.transfer_to = None
    result.transfer_offered_at = None
    result.save(
        update_fields=[
            "acknowledged_at",
            "acknowledged_by",
            "action",
            "transfer_to",
            "transfer_offered_at",
        ]
    )
    audit_change(
        actor=actor,
        context=context,
        object_type=RESULT,
        record=result,
        patient_id=result.booking.patient_id,
        detail="acknowledged",
    )
    return result


def transfer_target_errors(result: Result, to: User | None, actor: User) -> list[str]:
    """Why ``to`` cannot be offered responsibility for ``result``, or nothing."""
    if to is None or not permissions.can_take_responsibility(to):
        return ["Choose a GP, consultant or community clinician."]
    if to.pk == actor.pk:
        return ["You are already responsible for this result."]
    if not patients_visible_to(to).filter(pk=result.booking.patient_id).exists():
        return ["This clinician has no relationship with the patient."]
    return []


@transaction.atomic
def result_transfer_offer(
    *, actor: User, context: AuditContext, result: Result, to: User
) -> Result:
    """Offer responsibility to a named clinician who may see the patient. Nothing changes hands
    until they accept; a new offer replaces the last."""
    result = _lock(result)
    if not permissions.can_offer_transfer(actor, result):
        raise PermissionDenied("Only the clinician responsible for this result can transfer it.")
    _refuse_acknowledged(result)
    errors = transfer_target_errors(result, to, actor)
    if errors:
        raise ApplicationError("The transfer was not offered.", field_errors={"to": errors})
    result.transfer_to = to
    result.transfer_offered_at = timezone.now()
    result.save(update_fields=["transfer_to", "transfer_offered_at"])
    audit_change(
        actor=actor,
        context=context,
        object_type=RESULT,
        record=result,
        patient_id=result.booking.patient_id,
        detail=f"transfer offered to {to.username}",
    )
    return result


@transaction.atomic
def result_transfer_accept(*, actor: User, context: AuditContext, result: Result) -> Result:
    """The clinician offered the result takes responsibility for it."""
    result = _lock(result)
    if not permissions.can_accept_transfer(actor, result):
        raise PermissionDenied("Only the clinician this result was offered to can accept it.")
    _refuse_acknowledged(result)
    if not patients_visible_to(actor).filter(pk=result.booking.patient_id).exists():
        raise ApplicationError(
            "The transfer was not accepted.",
            field_errors={"to": ["You no longer have a relationship with the patient."]},
        )
    result.responsible = actor
    result.transfer_to = None
    result.transfer_offered_at = None
    result.save(update_fields=["responsible", "transfer_to", "transfer_offered_at"])
    audit_change(
        actor=actor,
        context=context,
        object_type=RESULT,
        record=result,
        patient_id=result.booking.patient_id,
        detail="transfer accepted",
    )
    return result
