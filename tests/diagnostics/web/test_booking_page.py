"""A booking's page and its actions: who sees it, move, cancel, attendance, result."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from diagnostics.models import Booking, BookingStatus, Result, Slot
from tests.diagnostics.factories import (
    AttendedBookingFactory,
    BookingFactory,
    PastSlotFactory,
    ResultFactory,
    SlotFactory,
)
from tests.factories import DiagnosticsStaffFactory, GPFactory, ManagerFactory
from tests.helpers import signed_in

pytestmark = pytest.mark.django_db


def page_url(booking) -> str:
    return f"/diagnostics/bookings/{booking.uuid}/"


def action_url(booking, action: str) -> str:
    return f"{page_url(booking)}{action}/"


@pytest.fixture
def started():
    """A booking whose appointment started an hour ago."""
    return BookingFactory(slot=PastSlotFactory(capacity=3))


def hub_staff(client, booking):
    return signed_in(client, DiagnosticsStaffFactory(organisation=booking.slot.hub))


def result_data(**overrides) -> dict:
    data = {
        "result-abnormal": "true",
        "result-value": "",
        "result-unit": "",
        "result-summary": "Atrial fibrillation, rate 110.",
        "result-reported_on_0": "",
        "result-reported_on_1": "",
        "result-reported_on_2": "",
        "result-reported_time_0": "",
        "result-reported_time_1": "",
    }
    data.update(overrides)
    return data


def test_a_clinician_without_a_relationship_gets_404(client):
    booking = BookingFactory()
    client.force_login(GPFactory())
    assert client.get(page_url(booking)).status_code == 404


def test_a_manager_gets_404(client):
    booking = BookingFactory()
    client.force_login(ManagerFactory(organisation=booking.patient.registered_practice.icb))
    assert client.get(page_url(booking)).status_code == 404


def test_the_requester_sees_the_booking_and_the_view_is_audited(client):
    booking = BookingFactory()
    signed_in(client, booking.requester)
    body = client.get(page_url(booking)).content.decode()
    assert booking.patient.full_name in body
    assert AuditEvent.objects.filter(
        user=booking.requester, patient=booking.patient, action="view"
    ).exists()


def test_before_the_appointment_hub_staff_are_offered_no_attendance_or_result(client):
    booking = BookingFactory()
    hub_staff(client, booking)
    body = client.get(page_url(booking)).content.decode()
    assert "Record attendance" not in body
    assert "Record result" not in body


def test_hub_staff_record_a_did_not_attend(client, started):
    hub_staff(client, started)
    response = client.post(action_url(started, "attendance"), {"attendance-attended": "false"})
    assert response.status_code == 302
    assert Booking.objects.get(pk=started.pk).status == BookingStatus.DID_NOT_ATTEND


def test_attendance_without_a_choice_names_the_field(client, started):
    hub_staff(client, started)
    response = client.post(action_url(started, "attendance"), {})
    assert response.status_code == 400
    assert "Choose whether the patient attended." in response.content.decode()


def test_hub_staff_record_an_abnormal_result(client, started):
    staff = hub_staff(client, started)
    response = client.post(action_url(started, "result"), result_data())
    result = Result.objects.get()
    assert response.status_code == 302
    assert (result.abnormal, result.recorded_by, result.responsible) == (
        True,
        staff,
        started.requester,
    )


def test_a_result_reported_at_a_given_time_keeps_that_time(client, started):
    hub_staff(client, started)
    at = timezone.localtime() - datetime.timedelta(minutes=5)
    client.post(
        action_url(started, "result"),
        result_data(
            **{
                "result-reported_on_0": at.day,
                "result-reported_on_1": at.month,
                "result-reported_on_2": at.year,
                "result-reported_time_0": at.hour,
                "result-reported_time_1": at.minute,
            }
        ),
    )
    assert Result.objects.get().reported_at == at.replace(second=0, microsecond=0)


def test_a_result_reported_in_the_future_is_refused_naming_the_field(client, started):
    hub_staff(client, started)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(
        action_url(started, "result"),
        result_data(
            **{
                "result-reported_on_0": tomorrow.day,
                "result-reported_on_1": tomorrow.month,
                "result-reported_on_2": tomorrow.year,
                "result-reported_time_0": "9",
                "result-reported_time_1": "00",
            }
        ),
    )
    assert response.status_code == 400
    assert "cannot be reported in the future" in response.content.decode()
    assert not Result.objects.exists()


def test_a_result_with_an_impossible_time_names_the_part(client, started):
    hub_staff(client, started)
    response = client.post(
        action_url(started, "result"),
        result_data(**{"result-reported_time_0": "25", "result-reported_time_1": "00"}),
    )
    assert response.status_code == 400
    assert "The hour must be a number from 0 to 23" in response.content.decode()


def test_a_result_before_the_appointment_starts_is_refused(client):
    booking = BookingFactory()
    hub_staff(client, booking)
    response = client.post(action_url(booking, "result"), result_data())
    assert response.status_code == 400
    assert not Result.objects.exists()


def test_the_requester_may_not_record_a_result(client, started):
    signed_in(client, started.requester)
    response = client.post(action_url(started, "result"), result_data())
    assert response.status_code == 403
    assert not Result.objects.exists()


def test_the_requester_moves_a_booking_to_another_free_slot(client):
    booking = BookingFactory()
    later = SlotFactory(test_type=booking.test_type, hub=booking.slot.hub, capacity=2)
    signed_in(client, booking.requester)
    assert str(later.uuid) in client.get(page_url(booking)).content.decode()
    response = client.post(action_url(booking, "move"), {"move-slot": str(later.uuid)})
    assert response.status_code == 302
    assert Booking.objects.get(pk=booking.pk).slot == later
    assert Slot.objects.get(pk=later.pk).booked == 1


def test_moving_to_a_slot_filled_meanwhile_is_a_conflict_shown_on_the_page(client):
    booking = BookingFactory()
    full = SlotFactory(test_type=booking.test_type, capacity=1, booked=1)
    signed_in(client, booking.requester)
    response = client.post(action_url(booking, "move"), {"move-slot": str(full.uuid)})
    assert response.status_code == 409
    assert "full" in response.content.decode()
    assert Booking.objects.get(pk=booking.pk).slot_id == booking.slot_id


def test_the_requester_cancels_a_booking_and_frees_the_place(client):
    booking = BookingFactory()
    signed_in(client, booking.requester)
    response = client.post(action_url(booking, "cancel"), {})
    assert response.status_code == 302
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CANCELLED
    assert Slot.objects.get(pk=booking.slot_id).booked == 0


def test_an_unknown_action_is_404(client):
    booking = BookingFactory()
    signed_in(client, booking.requester)
    assert client.post(action_url(booking, "delete"), {}).status_code == 404


def test_the_booking_page_links_its_result(client):
    result = ResultFactory(booking=AttendedBookingFactory())
    signed_in(client, result.booking.requester)
    body = client.get(page_url(result.booking)).content.decode()
    assert f"/diagnostics/results/{result.uuid}/" in body
