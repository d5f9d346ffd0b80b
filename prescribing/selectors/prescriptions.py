"""Prescriptions a user may see, and the fetch-and-authorise function of their actions."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from directory.models import Patient, User
from prescribing import permissions
from prescribing.models import Prescription
from prescribing.selectors.access import prescription_access_q

PRESCRIPTION_RELATED = (
    "patient",
    "prescriber",
    "prescriber_organisation",
    "pharmacy",
    "budget__icb",
    "shared_care",
)


def prescriptions_visible_to(user: User) -> QuerySet[Prescription]:
    """The prescriptions ``user`` may see, with their joins (items prefetched)."""
    return (
        Prescription.objects.filter(prescription_access_q(user))
        .select_related(*PRESCRIPTION_RELATED)
        .prefetch_related("items")
    )


def prescription_get_for_user(*, user: User, prescription_uuid) -> Prescription:
    """The prescription, or 404 if the user may not see it: no existence leak."""
    return get_object_or_404(prescriptions_visible_to(user), uuid=prescription_uuid)


def prescription_for_action(*, user: User, prescription_uuid, action: str) -> Prescription:
    """The prescription for ``action`` (``dispense``, ``cancel``): 404 if the user may not see
    it, 403 if they may see it but not do this."""
    prescription = prescription_get_for_user(user=user, prescription_uuid=prescription_uuid)
    if not permissions.PRESCRIPTION_ACTIONS[action](user, prescription):
        raise PermissionDenied("Only the prescriber can record this.")
    return prescription


def prescriptions_of_patient(*, user: User, patient: Patient) -> QuerySet[Prescription]:
    return prescriptions_visible_to(user).filter(patient=patient).order_by("-issued_at", "-id")
