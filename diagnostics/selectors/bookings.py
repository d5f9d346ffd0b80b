"""Reads of bookings: every one goes through the patient access rule (docs/product.md §1)."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from diagnostics import permissions
from diagnostics.models import Booking
from diagnostics.rules import local_day_start
from diagnostics.selectors.access import patient_visible_q
from diagnostics.selectors.ids import as_uuid
from directory.models import Patient, User

BOOKING_RELATED = (
    "patient",
    "patient__registered_practice",
    "test_type",
    "slot",
    "slot__hub",
    "slot__test_type",
    "requester",
    "requester_organisation",
    "referral",
)


def bookings_visible_to(user: User) -> QuerySet[Booking]:
    """Bookings of the patients the user may see (managers and administrators: none).

    Each row's patient is checked by a correlated EXISTS, so a list narrowed by an indexed
    filter (a patient, a requester, a hub's day) checks only its own rows."""
    if not user.is_authenticated or not user.is_clinician:
        return Booking.objects.none()
    return Booking.objects.filter(patient_visible_q(user, "patient_id")).select_related(
        *BOOKING_RELATED
    )


def booking_get_for_user(user: User, booking_uuid) -> Booking:
    """The booking, or 404: no existence leak to those without a relationship."""
    key = as_uuid(booking_uuid)
    booking = bookings_visible_to(user).filter(uuid=key).first() if key else None
    if booking is None:
        raise Http404("No such booking.")
    return booking


def booking_for_action(user: User, booking_uuid, action: str = "view") -> Booking:
    """The booking ``action`` is to be done to: 404 if the user may not see it, 403 if they may
    see it but not do this (``diagnostics.permissions.BOOKING_ACTIONS``)."""
    booking = booking_get_for_user(user, booking_uuid)
    if action not in permissions.BOOKING_ACTIONS:
        raise Http404("No such action.")
    if not permissions.may_act_on_booking(user, booking, action):
        raise PermissionDenied("You cannot do this to this booking.")
    return booking


def bookings_for_patient(user: User, patient: Patient) -> QuerySet[Booking]:
    return bookings_visible_to(user).filter(patient_id=patient.pk).order_by("-requested_at", "-id")


def hub_bookings(user: User, *, day: date) -> QuerySet[Booking]:
    """A day's bookings at the user's hub, in appointment order (hub staff only; else none)."""
    if not permissions.is_hub_staff(user, user.organisation_id):
        return Booking.objects.none()
    return (
        Booking.objects.filter(
            slot__hub_id=user.organisation_id,
            slot__starts_at__gte=local_day_start(day),
            slot__starts_at__lt=local_day_start(day + timedelta(days=1)),
        )
        .select_related(*BOOKING_RELATED)
        .order_by("slot__starts_at", "id")
    )
