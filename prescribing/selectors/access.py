"""Which prescriptions and shared care agreements a user may see (docs/product.md §1): the
prescriber of a prescription and the patient's GP; the initiating consultant and the GP of a
shared care agreement. The one place those relationships are written."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from directory.access import NOTHING
from directory.models import Role, User
from prescribing.models import Prescription, SharedCareAgreement


def _clinician(user: User) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and user.is_clinician
        and user.organisation_id is not None
    )


def prescription_access_q(user: User) -> Q:
    """A filter on ``Prescription``: the prescriber's own, and a GP's practice's patients'."""
    if not _clinician(user):
        return NOTHING
    q = Q(prescriber_id=user.pk)
    if user.role == Role.GP:
        q |= Q(patient__registered_practice_id=user.organisation_id)
    return q


def agreement_access_q(user: User) -> Q:
    """A filter on ``SharedCareAgreement``: the initiating consultant and the GP it names."""
    if not _clinician(user):
        return NOTHING
    return Q(consultant_id=user.pk) | Q(gp_id=user.pk)


def prescription_patient_rule(user: User) -> Q:
    """The prescriber sees the patient they prescribed for. Registered with the directory by
    ``PrescribingConfig``."""
    return Q(Exists(Prescription.objects.filter(patient_id=OuterRef("pk"), prescriber_id=user.pk)))


def shared_care_patient_rule(user: User) -> Q:
    """The initiating consultant and the GP of a shared care agreement see its patient.
    Registered with the directory by ``PrescribingConfig``."""
    return Q(
        Exists(
            SharedCareAgreement.objects.filter(patient_id=OuterRef("pk")).filter(
                Q(consultant_id=user.pk) | Q(gp_id=user.pk)
            )
        )
    )
