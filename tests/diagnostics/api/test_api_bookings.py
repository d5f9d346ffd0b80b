"""Diagnostics API: test types, slots, bookings and their actions (docs/product.md §7)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from diagnostics.models import Booking, BookingStatus, Slot
from tests.diagnostics.factories import (
    ECG,
    FBC,
    BookingFactory,
    PastSlotFactory,
    SlotFactory,
    test_type,
)
from tests.factories import (
    DiagnosticsStaffFactory,
    GPFactory,
    ManagerFactory,
    PatientFactory,
)
from tests.helpers import api_client_for
from tests.triage.factories import ReferralFactory

pytestmark = pytest.mark.django_db


def url(name, **kwargs):
    return reverse(name, kwargs=kwargs)


@pytest.fixture
def patient():
    return PatientFactory()


@pytest.fixture
def gp(patient):
    return GPFactory(organisation=patient.registered_practice)


def booking_body(patient, slot, **extra):
    return {
        "nhs_number": patient.nhs_number,
        "test_type": slot.test_type.code,
        "slot": str(slot.uuid),
        "reason": "Fatigue.",
        **extra,
    }


def test_test_types_list_snomed_codes_and_names(gp):
    response = api_client_for(gp).get(url("api-diagnostics-test-types"), {"page_size": 50})
    codes = {row["code"]: row["name"] for row in response.json()["results"]}
    assert response.status_code == 200
    assert {FBC, ECG, "127783003", "45036003", "399208008", "40701008"} <= set(codes)


def test_free_slots_are_filtered_by_test_type_hub_and_date(gp):
    wanted = SlotFactory(test_type=test_type(ECG), capacity=2)
    SlotFactory(test_type=test_type(FBC))  # another test
    SlotFactory(test_type=test_type(ECG), capacity=1, booked=1)  # full
    PastSlotFactory(test_type=test_type(ECG))  # started
    day = timezone.localtime(wanted.starts_at).date()
    response = api_client_for(gp).get(
        url("api-diagnostics-slots"),
        {"test_type": ECG, "hub": wanted.hub.ods_code, "date_from": day, "date_to": day},
    )
    assert [row["id"] for row in response.json()["results"]] == [str(wanted.uuid)]
    row = response.json()["results"][0]
    assert (row["hub"], row["test_type"], row["capacity"], row["booked"]) == (
        wanted.hub.ods_code,
        ECG,
        2,
        0,
    )


def test_free_slots_exclude_a_date_range_that_misses_them(gp):
    slot = SlotFactory()
    day = timezone.localtime(slot.starts_at).date() + dt.timedelta(days=1)
    response = api_client_for(gp).get(url("api-diagnostics-slots"), {"date_from": day})
    assert str(slot.uuid) not in {row["id"] for row in response.json()["results"]}


def test_hub_staff_create_a_slot_through_the_api():
    staff = DiagnosticsStaffFactory()
    starts_at = timezone.now() + dt.timedelta(days=2)
    response = api_client_for(staff).post(
        url("api-diagnostics-slots"),
        {
            "hub": staff.organisation.ods_code,
            "test_type": FBC,
            "starts_at": starts_at.isoformat(),
            "capacity": 3,
        },
        format="json",
    )
    assert response.status_code == 201
    assert Slot.objects.get(uuid=response.json()["id"]).capacity == 3


def test_hub_staff_cannot_create_slots_at_another_hub():
    other = SlotFactory().hub
    response = api_client_for(DiagnosticsStaffFactory()).post(
        url("api-diagnostics-slots"),
        {
            "hub": other.ods_code,
            "test_type": FBC,
            "starts_at": (timezone.now() + dt.timedelta(days=2)).isoformat(),
            "capacity": 1,
        },
        format="json",
    )
    assert response.status_code == 403


def test_gp_cannot_create_slots(gp):
    response = api_client_for(gp).post(url("api-diagnostics-slots"), {}, format="json")
    assert response.status_code == 403


def test_slot_in_the_past_is_a_400_naming_starts_at():
    staff = DiagnosticsStaffFactory()
    response = api_client_for(staff).post(
        url("api-diagnostics-slots"),
        {
            "hub": staff.organisation.ods_code,
            "test_type": FBC,
            "starts_at": "2020-01-01T09:00:00+00:00",
            "capacity": 1,
        },
        format="json",
    )
    assert response.status_code == 400
    assert "starts_at" in response.json()


def test_gp_books_a_test_and_gets_201_with_the_contract_fields(gp, patient):
    slot = SlotFactory(capacity=2)
    response = api_client_for(gp).post(
        url("api-diagnostics-bookings"), booking_body(patient, slot), format="json"
    )
    body = response.json()
    assert response.status_code == 201
    assert {"id", "status", "slot", "requested_at", "requester"} <= set(body)
    assert (body["status"], body["slot"], body["requester"]) == (
        "booked",
        str(slot.uuid),
        gp.username,
    )


def test_booking_links_a_referral(patient):
    referral = ReferralFactory(patient=patient)
    gp = GPFactory(organisation=patient.registered_practice)
    slot = SlotFactory()
    response = api_client_for(gp).post(
        url("api-diagnostics-bookings"),
        booking_body(patient, slot, referral=str(referral.uuid)),
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["referral"] == str(referral.uuid)


def test_booking_a_full_slot_is_409(gp, patient):
    slot = SlotFactory(capacity=1, booked=1)
    response = api_client_for(gp).post(
        url("api-diagnostics-bookings"), booking_body(patient, slot), format="json"
    )
    assert response.status_code == 409
    assert not Booking.objects.exists()


def test_booking_for_a_patient_the_caller_may_not_see_is_400_naming_nhs_number(patient):
    response = api_client_for(GPFactory()).post(
        url("api-diagnostics-bookings"), booking_body(patient, SlotFactory()), format="json"
    )
    assert response.status_code == 400
    assert "nhs_number" in response.json()


def test_booking_an_unknown_slot_is_400_naming_slot(gp, patient):
    body = booking_body(patient, SlotFactory())
    body["slot"] = "00000000-0000-0000-0000-000000000000"
    response = api_client_for(gp).post(url("api-diagnostics-bookings"), body, format="json")
    assert response.status_code == 400
    assert "slot" in response.json()


def test_manager_cannot_book(patient):
    response = api_client_for(ManagerFactory()).post(
        url("api-diagnostics-bookings"), booking_body(patient, SlotFactory()), format="json"
    )
    assert response.status_code == 403


def test_booking_detail_is_audited():
    booking = BookingFactory()
    response = api_client_for(booking.requester).get(
        url("api-diagnostics-booking-detail", booking_id=booking.uuid)
    )
    assert response.status_code == 200
    assert AuditEvent.objects.filter(
        object_id=str(booking.uuid), action="view", patient_id=booking.patient_id
    ).exists()


def test_booking_detail_is_404_without_a_relationship():
    booking = BookingFactory()
    response = api_client_for(GPFactory()).get(
        url("api-diagnostics-booking-detail", booking_id=booking.uuid)
    )
    assert response.status_code == 404


def test_requester_moves_the_booking():
    booking = BookingFactory()
    new = SlotFactory(hub=booking.slot.hub)
    response = api_client_for(booking.requester).post(
        url("api-diagnostics-booking-move", booking_id=booking.uuid),
        {"slot": str(new.uuid)},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["slot"] == str(new.uuid)


def test_requester_cancels_the_booking():
    booking = BookingFactory()
    response = api_client_for(booking.requester).post(
        url("api-diagnostics-booking-cancel", booking_id=booking.uuid)
    )
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"


def test_gp_of_the_practice_who_did_not_request_may_see_but_not_cancel():
    booking = BookingFactory()
    colleague = GPFactory(organisation=booking.patient.registered_practice)
    client = api_client_for(colleague)
    assert (
        client.get(url("api-diagnostics-booking-detail", booking_id=booking.uuid)).status_code
        == 200
    )
    response = client.post(url("api-diagnostics-booking-cancel", booking_id=booking.uuid))
    assert response.status_code == 403


def test_hub_staff_record_a_did_not_attend():
    booking = BookingFactory(slot=PastSlotFactory(capacity=2))
    staff = DiagnosticsStaffFactory(organisation=booking.slot.hub)
    response = api_client_for(staff).post(
        url("api-diagnostics-booking-attendance", booking_id=booking.uuid),
        {"attended": False},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["status"] == BookingStatus.DID_NOT_ATTEND


def test_attendance_without_attended_is_400_naming_it():
    booking = BookingFactory(slot=PastSlotFactory(capacity=2))
    staff = DiagnosticsStaffFactory(organisation=booking.slot.hub)
    response = api_client_for(staff).post(
        url("api-diagnostics-booking-attendance", booking_id=booking.uuid), {}, format="json"
    )
    assert response.status_code == 400
    assert "attended" in response.json()


def test_requester_cannot_record_attendance():
    booking = BookingFactory(slot=PastSlotFactory(capacity=2))
    response = api_client_for(booking.requester).post(
        url("api-diagnostics-booking-attendance", booking_id=booking.uuid),
        {"attended": True},
        format="json",
    )
    assert response.status_code == 403


def test_hub_staff_record_a_result_through_the_api():
    booking = BookingFactory(slot=PastSlotFactory(capacity=2))
    staff = DiagnosticsStaffFactory(organisation=booking.slot.hub)
    response = api_client_for(staff).post(
        url("api-diagnostics-booking-result", booking_id=booking.uuid),
        {"abnormal": True, "summary": "Hb 92 g/L: anaemia.", "value": "92", "unit": "g/L"},
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["abnormal"], body["responsible"]) == (True, booking.requester.username)


def test_result_reported_in_the_future_is_400_naming_reported_at():
    booking = BookingFactory(slot=PastSlotFactory(capacity=2))
    staff = DiagnosticsStaffFactory(organisation=booking.slot.hub)
    response = api_client_for(staff).post(
        url("api-diagnostics-booking-result", booking_id=booking.uuid),
        {
            "abnormal": False,
            "summary": "Normal.",
            "reported_at": (timezone.now() + dt.timedelta(hours=1)).isoformat(),
        },
        format="json",
    )
    assert response.status_code == 400
    assert "reported_at" in response.json()
