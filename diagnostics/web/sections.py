"""Diagnostics' sections on other pages: the patient page (``directory.patient_sections``) and
the referral page (``core.sections``, page ``"triage.referral"``). Each shows the patient's
tests and results that the user may see, and a "Book a test" link prefilled for them."""

from __future__ import annotations

from django.urls import reverse
from django.utils.http import urlencode

from core.sections import RecordSection
from diagnostics import permissions, selectors
from directory.patient_sections import PatientSection

SECTION_LIMIT = 50


def _bookings(user, patient_id: int) -> list:
    return list(
        selectors.bookings_visible_to(user)
        .filter(patient_id=patient_id)
        .select_related("result", "result__acknowledged_by")
        .order_by("-requested_at", "-id")[:SECTION_LIMIT]
    )


def _book_url(user, nhs_number: str, referral_uuid=None) -> str | None:
    if not permissions.can_book(user):
        return None
    query = {"nhs_number": nhs_number}
    if referral_uuid is not None:
        query["referral"] = str(referral_uuid)
    return f"{reverse('diagnostics:book')}?{urlencode(query)}"


def patient_tests_section(user, patient) -> PatientSection | None:
    if not user.is_clinician:
        return None
    return PatientSection(
        title="Tests and results",
        template="diagnostics/_tests_section.html",
        context={
            "bookings": _bookings(user, patient.pk),
            "book_url": _book_url(user, patient.nhs_number),
            "testid": "patient-tests",
        },
    )


def referral_tests_section(user, referral) -> RecordSection | None:
    """The tests of the referral's patient: those booked for this referral marked as such, so
    the consultant the patient is referred to sees the results the GP asked for."""
    if not user.is_clinician:
        return None
    bookings = _bookings(user, referral.patient_id)
    for booking in bookings:
        booking.for_this_referral = booking.referral_id == referral.pk
    return RecordSection(
        title="Tests and results",
        template="diagnostics/_tests_section.html",
        context={
            "bookings": bookings,
            "book_url": _book_url(user, referral.patient.nhs_number, referral.uuid),
            "testid": "referral-tests",
            "referral": True,
        },
    )
