"""Which bookings, results and patients a user may see through diagnostics (docs/product.md §1):
the one place that relationship is written. Every list, page and endpoint uses it."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from diagnostics.models import Booking, Result
from directory.access import NOTHING, patient_access_filter
from directory.models import Patient, User


def booking_patient_rule(user: User) -> Q:
    """The requester of a test and the staff of the hub it is booked at see the patient, and so
    does the clinician who accepted responsibility for acting on a result; nobody else gains
    anything from a booking (not the requester's colleagues, not another hub).
    Registered with the directory by ``DiagnosticsConfig``."""
    if not user.is_authenticated or user.organisation_id is None:
        return NOTHING
    return Q(
        Exists(
            Booking.objects.filter(patient_id=OuterRef("pk")).filter(
                Q(requester_id=user.pk) | Q(slot__hub_id=user.organisation_id)
            )
        )
    ) | Q(Exists(Result.objects.filter(booking__patient_id=OuterRef("pk"), responsible_id=user.pk)))


def visible_patient_ids(user: User):
    """The ids of the patients ``user`` may see, as a subquery (every relationship any app
    registered, so a result is visible to every clinician with a legitimate relationship)."""
    return Patient.objects.filter(patient_access_filter(user)).values("id")


def patient_visible_q(user: User, patient_field: str) -> Q:
    """A correlated check that the row's patient is visible: cheap on a short list."""
    return Q(
        Exists(
            Patient.objects.filter(patient_access_filter(user)).filter(pk=OuterRef(patient_field))
        )
    )
