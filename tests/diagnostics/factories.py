"""Diagnostics factories: slots, bookings (the slot's count kept as the services keep it) and
results. Test types are reference data: ``test_type("26604007")`` fetches one."""

from __future__ import annotations

import datetime

import factory
from django.db.models import F
from django.utils import timezone

from diagnostics.models import Booking, BookingStatus, Result, Slot, TestType
from tests.factories import (
    DiagnosticHubFactory,
    DiagnosticsStaffFactory,
    GPFactory,
    PatientFactory,
)

FBC = "26604007"
ECG = "29303009"
SPIROMETRY = "127783003"
ABDOMINAL_ULTRASOUND = "45036003"
CHEST_XRAY = "399208008"
ECHOCARDIOGRAM = "40701008"


def test_type(code: str = FBC) -> TestType:
    return TestType.objects.get(code=code)


test_type.__test__ = False  # a factory helper, not a test


class SlotFactory(factory.django.DjangoModelFactory):
    """A slot tomorrow (by default) at a new hub, created by one of its staff."""

    class Meta:
        model = Slot

    hub = factory.SubFactory(DiagnosticHubFactory)
    test_type = factory.LazyFunction(test_type)
    starts_at = factory.Sequence(
        lambda n: timezone.now().replace(microsecond=0) + datetime.timedelta(days=1, minutes=15 * n)
    )
    capacity = 1
    booked = 0
    created_by = factory.LazyAttribute(lambda o: DiagnosticsStaffFactory(organisation=o.hub))


class PastSlotFactory(SlotFactory):
    """A slot that started an hour ago (so attendance and results may be recorded)."""

    starts_at = factory.Sequence(
        lambda n: (
            timezone.now().replace(microsecond=0) - datetime.timedelta(hours=1, minutes=15 * n)
        )
    )


class BookingFactory(factory.django.DjangoModelFactory):
    """A booked test requested by a GP of the patient's practice; takes a place in its slot."""

    class Meta:
        model = Booking

    patient = factory.SubFactory(PatientFactory)
    slot = factory.SubFactory(SlotFactory, capacity=5)
    test_type = factory.LazyAttribute(lambda o: o.slot.test_type)
    requester = factory.LazyAttribute(
        lambda o: GPFactory(organisation=o.patient.registered_practice)
    )
    requester_organisation = factory.LazyAttribute(lambda o: o.requester.organisation)
    reason = "Tired all the time; check for anaemia."
    status = BookingStatus.BOOKED

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        booking = super()._create(model_class, *args, **kwargs)
        if booking.status in (
            BookingStatus.BOOKED,
            BookingStatus.ATTENDED,
            BookingStatus.DID_NOT_ATTEND,
        ):
            Slot.objects.filter(pk=booking.slot_id).update(booked=F("booked") + 1)
            booking.slot.refresh_from_db(fields=["booked"])
        return booking


class AttendedBookingFactory(BookingFactory):
    slot = factory.SubFactory(PastSlotFactory, capacity=5)
    status = BookingStatus.ATTENDED
    attended_at = factory.LazyAttribute(lambda o: o.slot.starts_at)


class ResultFactory(factory.django.DjangoModelFactory):
    """A normal result reported now, the requester responsible for it."""

    class Meta:
        model = Result

    booking = factory.SubFactory(AttendedBookingFactory)
    abnormal = False
    summary = "Haemoglobin within the reference range."
    value = "135"
    unit = "g/L"
    reported_at = factory.LazyFunction(timezone.now)
    recorded_by = factory.LazyAttribute(
        lambda o: DiagnosticsStaffFactory(organisation=o.booking.slot.hub)
    )
    responsible = factory.LazyAttribute(lambda o: o.booking.requester)
