"""Booking services: request, book, move, cancel, attendance (docs/product.md §3)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import COMMAND_CONTEXT
from core.errors import ApplicationError, ConflictError
from diagnostics.models import BookingStatus, Slot
from diagnostics.services import (
    attendance_record,
    booking_cancel,
    booking_create,
    booking_move,
)
from tests.diagnostics.factories import (
    ECG,
    BookingFactory,
    PastSlotFactory,
    SlotFactory,
    test_type,
)
from tests.factories import (
    ConsultantFactory,
    DiagnosticsStaffFactory,
    GPFactory,
    PatientFactory,
)
from tests.triage.factories import ReferralFactory

pytestmark = pytest.mark.django_db


def book(actor, patient, slot, **kwargs):
    return booking_create(
        actor=actor,
        context=COMMAND_CONTEXT,
        patient=patient,
        test_type=slot.test_type,
        slot=slot,
        reason=kwargs.pop("reason", "Breathless on exertion."),
        **kwargs,
    )


@pytest.fixture
def patient():
    return PatientFactory()


@pytest.fixture
def gp(patient):
    return GPFactory(organisation=patient.registered_practice)


def test_gp_books_a_test_for_their_patient(gp, patient):
    slot = SlotFactory(capacity=2)
    booking = book(gp, patient, slot)
    slot.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED
    assert booking.requester == gp
    assert booking.requester_organisation == gp.organisation
    assert slot.booked == 1


def test_booking_is_audited_against_the_patient(gp, patient):
    booking = book(gp, patient, SlotFactory())
    event = AuditEvent.objects.get(object_id=str(booking.uuid))
    assert (event.patient_id, event.action, event.object_type) == (
        patient.pk,
        "create",
        "diagnostic_booking",
    )


def test_booking_a_full_slot_is_a_conflict_and_changes_nothing(gp, patient):
    slot = SlotFactory(capacity=1)
    book(gp, patient, slot)
    with pytest.raises(ConflictError):
        book(gp, PatientFactory(registered_practice=patient.registered_practice), slot)
    slot.refresh_from_db()
    assert slot.booked == 1


def test_clinician_cannot_book_for_a_patient_they_may_not_see(patient):
    stranger = GPFactory()
    with pytest.raises(ApplicationError) as error:
        book(stranger, patient, SlotFactory())
    assert "nhs_number" in error.value.field_errors


def test_diagnostics_staff_cannot_request_tests(patient):
    with pytest.raises(PermissionDenied):
        book(DiagnosticsStaffFactory(), patient, SlotFactory())


def test_consultant_books_for_a_patient_referred_to_them():
    referral = ReferralFactory()
    consultant = ConsultantFactory(organisation=referral.provider)
    booking = book(consultant, referral.patient, SlotFactory(), referral=referral)
    assert booking.referral == referral


def test_referral_of_another_patient_is_refused(gp, patient):
    referral = ReferralFactory(referring_practice=patient.registered_practice)
    with pytest.raises(ApplicationError) as error:
        book(gp, patient, SlotFactory(), referral=referral)
    assert error.value.field_errors["referral"] == ["This referral is for another patient."]


def test_slot_for_another_test_is_refused(gp, patient):
    slot = SlotFactory()
    with pytest.raises(ApplicationError) as error:
        booking_create(
            actor=gp,
            context=COMMAND_CONTEXT,
            patient=patient,
            test_type=test_type(ECG),
            slot=slot,
            reason="Palpitations.",
        )
    assert "slot" in error.value.field_errors


def test_slot_that_has_started_is_refused(gp, patient):
    with pytest.raises(ApplicationError) as error:
        book(gp, patient, PastSlotFactory())
    assert "slot" in error.value.field_errors


def test_blank_reason_is_refused(gp, patient):
    with pytest.raises(ApplicationError) as error:
        book(gp, patient, SlotFactory(), reason="  ")
    assert "reason" in error.value.field_errors


def test_move_frees_the_old_place_and_takes_the_new(gp, patient):
    old = SlotFactory(capacity=1)
    booking = book(gp, patient, old)
    new = SlotFactory(hub=old.hub, capacity=1)
    booking_move(actor=gp, context=COMMAND_CONTEXT, booking=booking, slot=new)
    old.refresh_from_db()
    new.refresh_from_db()
    booking.refresh_from_db()
    assert (old.booked, new.booked, booking.slot_id) == (0, 1, new.pk)


def test_move_to_a_full_slot_is_a_conflict_and_keeps_the_booking(gp, patient):
    booking = book(gp, patient, SlotFactory(capacity=1))
    full = SlotFactory(capacity=1, booked=1)
    with pytest.raises(ConflictError):
        booking_move(actor=gp, context=COMMAND_CONTEXT, booking=booking, slot=full)
    booking.refresh_from_db()
    assert booking.slot.booked == 1
    assert Slot.objects.get(pk=full.pk).booked == 1


def test_another_gp_cannot_move_the_booking(gp, patient):
    booking = book(gp, patient, SlotFactory())
    colleague = GPFactory(organisation=patient.registered_practice)
    with pytest.raises(PermissionDenied):
        booking_move(actor=colleague, context=COMMAND_CONTEXT, booking=booking, slot=SlotFactory())


def test_cancel_frees_the_place(gp, patient):
    slot = SlotFactory(capacity=1)
    booking = book(gp, patient, slot)
    booking = booking_cancel(actor=gp, context=COMMAND_CONTEXT, booking=booking)
    slot.refresh_from_db()
    assert (booking.status, slot.booked) == (BookingStatus.CANCELLED, 0)


def test_cancelling_twice_frees_the_place_once(gp, patient):
    slot = SlotFactory(capacity=2)
    book(gp, PatientFactory(registered_practice=patient.registered_practice), slot)
    booking = book(gp, patient, slot)
    booking_cancel(actor=gp, context=COMMAND_CONTEXT, booking=booking)
    booking_cancel(actor=gp, context=COMMAND_CONTEXT, booking=booking)
    slot.refresh_from_db()
    assert slot.booked == 1


def test_hub_staff_record_attendance_once_the_slot_has_started():
    booking = BookingFactory(slot=PastSlotFactory(capacity=3))
    staff = DiagnosticsStaffFactory(organisation=booking.slot.hub)
    attendance_record(actor=staff, context=COMMAND_CONTEXT, booking=booking, attended=True)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.ATTENDED
    assert booking.attended_at == booking.slot.starts_at


def test_attendance_before_the_slot_starts_is_refused():
    booking = BookingFactory()
    staff = DiagnosticsStaffFactory(organisation=booking.slot.hub)
    with pytest.raises(ApplicationError) as error:
        attendance_record(actor=staff, context=COMMAND_CONTEXT, booking=booking, attended=True)
    assert "attended" in error.value.field_errors


def test_did_not_attend_is_recorded_without_an_attendance_time():
    booking = BookingFactory(slot=PastSlotFactory(capacity=3))
    staff = DiagnosticsStaffFactory(organisation=booking.slot.hub)
    attendance_record(actor=staff, context=COMMAND_CONTEXT, booking=booking, attended=False)
    booking.refresh_from_db()
    assert (booking.status, booking.attended_at) == (BookingStatus.DID_NOT_ATTEND, None)


def test_attendance_cannot_be_changed_once_recorded():
    booking = BookingFactory(slot=PastSlotFactory(capacity=3))
    staff = DiagnosticsStaffFactory(organisation=booking.slot.hub)
    attendance_record(actor=staff, context=COMMAND_CONTEXT, booking=booking, attended=False)
    with pytest.raises(ConflictError):
        attendance_record(actor=staff, context=COMMAND_CONTEXT, booking=booking, attended=True)


def test_staff_of_another_hub_cannot_record_attendance():
    booking = BookingFactory(slot=PastSlotFactory(capacity=3))
    with pytest.raises(PermissionDenied):
        attendance_record(
            actor=DiagnosticsStaffFactory(), context=COMMAND_CONTEXT, booking=booking, attended=True
        )


def test_the_database_refuses_an_overfilled_slot():
    from django.db import IntegrityError, transaction

    slot = SlotFactory(capacity=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Slot.objects.filter(pk=slot.pk).update(booked=2)


def test_requested_at_is_now(gp, patient):
    before = timezone.now()
    booking = book(gp, patient, SlotFactory())
    assert before <= booking.requested_at <= timezone.now() + dt.timedelta(seconds=1)
