"""Reads from the directory. Every patient read goes through the access filter."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from directory.access import patient_access_filter
from directory.models import Organisation, Patient, User
from directory.validators import normalise_nhs_number


def patients_visible_to(user: User) -> QuerySet[Patient]:
    return Patient.objects.filter(patient_access_filter(user)).select_related("registered_practice")


def patient_get_for_user(*, user: User, patient_uuid) -> Patient:
    """The patient, or 404 if the user may not see them: no existence leak."""
    return get_object_or_404(patients_visible_to(user), uuid=patient_uuid)


def patients_search(
    *, user: User, nhs_number: str = "", family_name: str = ""
) -> QuerySet[Patient]:
    patients = patients_visible_to(user)
    if nhs_number:
        patients = patients.filter(nhs_number=normalise_nhs_number(nhs_number))
    if family_name:
        patients = patients.filter(family_name__istartswith=family_name.strip())
    return patients.order_by("family_name", "given_name", "id")


def organisation_get(*, ods_code: str) -> Organisation | None:
    return Organisation.objects.filter(ods_code=ods_code.strip().upper()).first()
