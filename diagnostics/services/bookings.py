"""Requesting, booking, moving and cancelling tests, and recording attendance
(docs/product.md §3). A slot is never overfilled: every change of ``Slot.booked`` is one
conditional UPDATE (``booked < capacity``), which PostgreSQL re-checks after a concurrent
booking commits, and the database's check constraint backs it."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from audit.services import AuditContext
from core.errors import ApplicationError, ConflictError
from diagnostics import permissions, rules
from diagnostics.models import Booking, BookingStatus, Slot, TestType
from diagnostics.services.audit import BOOKING, audit_change
from directory.models import Patient, User
from directory.selectors import patients_visible_to
from triage.selectors import referrals_visible_to

PATIENT_NOT_FOUND = "No patient you may see has this NHS number."


def _slot_take(slot: Slot) -> None:
    """Take one place in the slot, or refuse with 409 if it is full (or has started)."""
    taken = Slot.objects.filter(
        pk=slot.pk, booked__lt=F("capacity"), starts_at__gt=timezone.now()
    ).update(booked=F("booked") + 1)
    if not taken:
        current = Slot.objects.filter(pk=slot.pk).values("capacity", "booked").first() or {}
        raise ConflictError(
            "This slot is full: choose another.", current={"slot": str(slot.uuid), **current}
        )


def _slot_release(slot_id: int) -> None:
    Slot.objects.filter(pk=slot_id, booked__gt=0).update(booked=F("booked") - 1)


def _slot_errors(slot: Slot, test_type: TestType) -> dict[str, list[str]]:
    if slot.test_type_id != test_type.pk:
        return {"slot": ["This slot is for another test."]}
    if slot.starts_at <= timezone.now():
        return {"slot": ["This slot has already started: choose a later one."]}
    return {}


def _lock(booking: Booking) -> Booking:
    return (
        Booking.objects.select_for_update(of=("self",))
        .select_related("slot", "test_type")
        .get(pk=booking.pk)
    )


@transaction.atomic
def booking_create(
    *,
    actor: User,
    context: AuditContext,
    patient: Patient,
    test_type: TestType,
    slot: Slot,
    reason: str,
    referral=None,
) -> Booking:
    """Request a test for a patient the actor may see and book it into ``slot``. A full slot is
    a ``ConflictError`` (409); bad input an ``ApplicationError`` naming the field."""
    if not permissions.can_book(actor):
        raise PermissionDenied("Only a GP, consultant or community clinician can request tests.")
    errors: dict[str, list[str]] = {}
    if not patients_visible_to(actor).filter(pk=patient.pk).exists():
        errors["nhs_number"] = [PATIENT_NOT_FOUND]
    errors.update(_slot_errors(slot, test_type))
    if not (reason or "").strip():
        errors["reason"] = ["Say why the test is needed."]
    if referral is not None:
        if not referrals_visible_to(actor).filter(pk=referral.pk).exists():
            errors["referral"] = ["No referral you may see has this id."]
        elif referral.patient_id != patient.pk:
            errors["referral"] = ["This referral is for another patient."]
    if errors:
        raise ApplicationError("The test was not booked.", field_errors=errors)
    _slot_take(slot)
    now = timezone.now()
    booking = Booking.objects.create(
        patient=patient,
        test_type=test_type,
        slot=slot,
        requester=actor,
        requester_organisation_id=actor.organisation_id,
        referral=referral,
        reason=reason.strip(),
        requested_at=now,
        created_at=now,
        updated_at=now,
    )
    slot.refresh_from_db(fields=["booked"])
    audit_change(
        actor=actor,
        context=context,
        object_type=BOOKING,
        record=booking,
        patient_id=patient.pk,
        detail=f"booked {test_type.code}",
        created=True,
    )
    return booking


@transaction.atomic
def booking_move(*, actor: User, context: AuditContext, booking: Booking, slot: Slot) -> Booking:
    """Move a booked test to another slot for the same test (409 if that slot is full)."""
    booking = _lock(booking)
    if not permissions.can_change_booking(actor, booking):
        raise PermissionDenied("Only the requester or the hub's staff can move this booking.")
    if booking.status != BookingStatus.BOOKED:
        raise ConflictError(
            f"A booking that is {booking.get_status_display().lower()} cannot be moved.",
            current={"status": booking.status},
        )
    if slot.pk == booking.slot_id:
        raise ApplicationError(
            "The booking was not moved.",
            field_errors={"slot": ["The test is already in this slot."]},
        )
    errors = _slot_errors(slot, booking.test_type)
    if errors:
        raise ApplicationError("The booking was not moved.", field_errors=errors)
    # Lock both slots in id order, so two moves crossing between them cannot deadlock.
    list(Slot.objects.select_for_update().filter(pk__in=[slot.pk, booking.slot_id]).order_by("pk"))
    _slot_take(slot)
    _slot_release(booking.slot_id)
    booking.slot = slot
    booking.updated_at = timezone.now()
    booking.save(update_fields=["slot", "updated_at"])
    audit_change(
        actor=actor,
        context=context,
        object_type=BOOKING,
        record=booking,
        patient_id=booking.patient_id,
        detail=f"moved to slot {slot.uuid}",
    )
    return booking


@transaction.atomic
def booking_cancel(*, actor: User, context: AuditContext, booking: Booking) -> Booking:
    """Cancel a booked test, freeing its place. Cancelling a cancelled booking changes nothing."""
    booking = _lock(booking)
    if not permissions.can_change_booking(actor, booking):
        raise PermissionDenied("Only the requester or the hub's staff can cancel this booking.")
    if booking.status == BookingStatus.CANCELLED:
        return booking
    if not rules.can_transition(booking.status, BookingStatus.CANCELLED):
        raise ConflictError(
            f"A booking that is {booking.get_status_display().lower()} cannot be cancelled.",
            current={"status": booking.status},
        )
    _slot_release(booking.slot_id)
    booking.status = BookingStatus.CANCELLED
    booking.updated_at = timezone.now()
    booking.save(update_fields=["status", "updated_at"])
    audit_change(
        actor=actor,
        context=context,
        object_type=BOOKING,
        record=booking,
        patient_id=booking.patient_id,
        detail="cancelled",
    )
    return booking


@transaction.atomic
def attendance_record(
    *, actor: User, context: AuditContext, booking: Booking, attended: bool
) -> Booking:
    """Record that the patient attended (``attended_at`` is the appointment's start) or did not
    attend, once the slot has started. Recording the same outcome again changes nothing."""
    booking = _lock(booking)
    if not permissions.can_record_attendance(actor, booking):
        raise PermissionDenied("Only the hub's staff can record attendance.")
    outcome = BookingStatus.ATTENDED if attended else BookingStatus.DID_NOT_ATTEND
    if booking.status == outcome:
        return booking
    if not rules.can_transition(booking.status, outcome):
        raise ConflictError(
            f"This booking is already {booking.get_status_display().lower()}.",
            current={"status": booking.status},
        )
    if booking.slot.starts_at > timezone.now():
        raise ApplicationError(
            "Attendance was not recorded.",
            field_errors={
                "attended": ["Attendance can be recorded once the appointment has started."]
            },
        )
    mark_attendance(booking, outcome)
    audit_change(
        actor=actor,
        context=context,
        object_type=BOOKING,
        record=booking,
        patient_id=booking.patient_id,
        detail=f"attendance: {outcome}",
    )
    return booking


def mark_attendance(booking: Booking, outcome: str) -> None:
    """Save the attendance outcome of a locked booking (shared with the result service)."""
    booking.status = outcome
    booking.attended_at = booking.slot.starts_at if outcome == BookingStatus.ATTENDED else None
    booking.updated_at = timezone.now()
    booking.save(update_fields=["status", "attended_at", "updated_at"])
