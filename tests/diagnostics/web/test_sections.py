"""The "Tests and results" sections of the patient page and the referral page."""

from __future__ import annotations

import pytest

from tests.diagnostics.factories import AttendedBookingFactory, BookingFactory, ResultFactory
from tests.factories import ConsultantFactory, GPFactory
from tests.helpers import signed_in
from tests.triage.factories import ReferralFactory

pytestmark = pytest.mark.django_db


def patient_url(patient) -> str:
    return f"/patients/{patient.uuid}/"


def referral_url(referral) -> str:
    return f"/triage/referrals/{referral.uuid}/"


def test_the_patient_page_shows_the_patients_results(client):
    result = ResultFactory(abnormal=True, summary="Inferior ST elevation.")
    signed_in(client, result.responsible)
    body = client.get(patient_url(result.booking.patient)).content.decode()
    assert "Tests and results" in body
    assert "Inferior ST elevation." in body
    assert f"/diagnostics/results/{result.uuid}/" in body


def test_the_patient_page_links_to_book_a_test_prefilled(client):
    gp = GPFactory()
    patient = ReferralFactory(patient__registered_practice=gp.organisation).patient
    signed_in(client, gp)
    body = client.get(patient_url(patient)).content.decode()
    assert f"/diagnostics/book/?nhs_number={patient.nhs_number}" in body


def test_the_consultant_the_patient_is_referred_to_sees_the_gps_result_on_the_referral(client):
    result = ResultFactory(abnormal=True, summary="Atrial fibrillation.")
    patient = result.booking.patient
    referral = ReferralFactory(patient=patient, referring_clinician=result.responsible)
    consultant = signed_in(client, ConsultantFactory(organisation=referral.provider))
    body = client.get(referral_url(referral)).content.decode()
    assert "Atrial fibrillation." in body
    assert consultant.display_name not in body.split("Tests and results")[1].split("History")[0]


def test_tests_booked_for_the_referral_are_marked_on_its_page(client):
    referral = ReferralFactory()
    booking = BookingFactory(patient=referral.patient, referral=referral)
    signed_in(client, ConsultantFactory(organisation=referral.provider))
    body = client.get(referral_url(referral)).content.decode()
    assert f"/diagnostics/bookings/{booking.uuid}/" in body
    assert "This referral" in body


def test_the_referral_page_links_to_book_a_test_for_the_referral(client):
    referral = ReferralFactory()
    signed_in(client, ConsultantFactory(organisation=referral.provider))
    body = client.get(referral_url(referral)).content.decode()
    assert f"referral={referral.uuid}" in body
    assert f"nhs_number={referral.patient.nhs_number}" in body


def test_the_section_shows_nothing_of_another_patient(client):
    referral = ReferralFactory()
    other = AttendedBookingFactory()
    signed_in(client, ConsultantFactory(organisation=referral.provider))
    body = client.get(referral_url(referral)).content.decode()
    assert str(other.uuid) not in body
    assert "No tests of this patient that you may see." in body
