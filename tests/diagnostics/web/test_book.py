"""The booking page: find free slots for a patient the clinician may see, book one, and what
happens when the slot fills first (docs/product.md §3)."""

from __future__ import annotations

import pytest

from audit.models import AuditEvent
from diagnostics.models import Booking, Slot
from tests.diagnostics.factories import ECG, FBC, SlotFactory, test_type
from tests.factories import (
    DiagnosticsStaffFactory,
    GPFactory,
    ManagerFactory,
    PatientFactory,
)
from tests.helpers import signed_in
from tests.triage.factories import ReferralFactory

pytestmark = pytest.mark.django_db

URL = "/diagnostics/book/"


@pytest.fixture
def gp(client):
    return signed_in(client, GPFactory())


@pytest.fixture
def patient(gp):
    return PatientFactory(registered_practice=gp.organisation)


@pytest.fixture
def ecg_slot():
    return SlotFactory(test_type=test_type(ECG), capacity=2)


def booking_data(patient, chosen, **overrides) -> dict:
    data = {
        "nhs_number": patient.nhs_number,
        "test_type": chosen.test_type.code,
        "slot": str(chosen.uuid),
        "referral": "",
        "reason": "Palpitations on exertion.",
    }
    data.update(overrides)
    return data


def test_a_link_with_nhs_number_and_test_lists_that_tests_free_slots(client, patient, ecg_slot):
    SlotFactory(test_type=test_type(FBC))
    full = SlotFactory(test_type=test_type(ECG), capacity=1, booked=1)
    response = client.get(URL, {"nhs_number": patient.nhs_number, "test_type": ECG})
    body = response.content.decode()
    assert response.status_code == 200
    assert str(ecg_slot.uuid) in body
    assert str(full.uuid) not in body
    assert patient.full_name in body


def test_a_link_with_only_the_nhs_number_prefills_the_search_without_errors(client, patient):
    response = client.get(URL, {"nhs_number": patient.nhs_number})
    body = response.content.decode()
    assert response.status_code == 200
    assert f'value="{patient.nhs_number}"' in body
    assert "There is a problem" not in body


def test_a_referral_link_names_the_patient_and_preselects_the_referral(client, gp, patient):
    referral = ReferralFactory(patient=patient, referring_clinician=gp)
    SlotFactory(test_type=test_type(ECG))
    response = client.get(
        URL, {"referral": str(referral.uuid), "nhs_number": patient.nhs_number, "test_type": ECG}
    )
    body = response.content.decode()
    assert f'<option value="{referral.uuid}" selected>' in body


def test_searching_for_a_patient_the_gp_may_not_see_names_the_field(client, gp):
    stranger = PatientFactory()
    response = client.get(URL, {"nhs_number": stranger.nhs_number, "test_type": ECG, "find": "1"})
    assert response.status_code == 400
    assert "No patient you may see has this NHS number." in response.content.decode()
    assert stranger.full_name not in response.content.decode()


def test_searching_by_hub_and_date_narrows_the_slots(client, patient, ecg_slot):
    elsewhere = SlotFactory(test_type=test_type(ECG))
    response = client.get(
        URL,
        {"nhs_number": patient.nhs_number, "test_type": ECG, "hub": ecg_slot.hub.ods_code},
    )
    body = response.content.decode()
    assert str(ecg_slot.uuid) in body
    assert str(elsewhere.uuid) not in body


def test_a_search_that_shows_the_patient_is_audited(client, gp, patient, ecg_slot):
    client.get(URL, {"nhs_number": patient.nhs_number, "test_type": ECG})
    assert AuditEvent.objects.filter(user=gp, patient=patient, action="view").exists()


def test_booking_a_slot_creates_the_booking_and_opens_its_page(client, gp, patient, ecg_slot):
    response = client.post(URL, booking_data(patient, ecg_slot))
    booking = Booking.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/diagnostics/bookings/{booking.uuid}/"
    assert (booking.requester, booking.slot, booking.patient) == (gp, ecg_slot, patient)
    assert Slot.objects.get(pk=ecg_slot.pk).booked == 1


def test_booking_for_a_referral_links_the_referral(client, gp, patient, ecg_slot):
    referral = ReferralFactory(patient=patient, referring_clinician=gp)
    client.post(URL, booking_data(patient, ecg_slot, referral=str(referral.uuid)))
    assert Booking.objects.get().referral == referral


def test_a_slot_filled_first_shows_a_clear_message_and_keeps_what_was_typed(client, patient):
    slot = SlotFactory(test_type=test_type(ECG), capacity=1, booked=1)
    other = SlotFactory(test_type=test_type(ECG))
    response = client.post(URL, booking_data(patient, slot, reason="Syncope twice this week."))
    body = response.content.decode()
    assert response.status_code == 409
    assert "taken by another booking a moment ago" in body
    assert "Syncope twice this week." in body
    assert str(other.uuid) in body
    assert not Booking.objects.exists()


def test_booking_without_a_reason_names_the_field_and_books_nothing(client, patient, ecg_slot):
    response = client.post(URL, booking_data(patient, ecg_slot, reason=""))
    assert response.status_code == 400
    assert "Enter the reason for the test." in response.content.decode()
    assert not Booking.objects.exists()


def test_booking_without_choosing_a_slot_names_the_field(client, patient, ecg_slot):
    response = client.post(URL, booking_data(patient, ecg_slot, slot=""))
    assert response.status_code == 400
    assert "Choose an appointment." in response.content.decode()


@pytest.mark.parametrize("factory", [DiagnosticsStaffFactory, ManagerFactory])
def test_only_requesting_clinicians_open_the_booking_page(client, factory):
    client.force_login(factory())
    assert client.get(URL).status_code == 403
