"""Obligation reads: the obligations a user may see, one to act on, a patient's, and the
filter on their status as of now."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from contracts import permissions
from contracts.models import Obligation
from contracts.selectors.access import obligation_access_filter
from directory.models import Patient, User
from directory.selectors import patients_visible_to
from directory.validators import normalise_nhs_number

OBLIGATION_RELATED = ("patient", "provider")


def obligations_visible_to(user: User) -> QuerySet[Obligation]:
    return Obligation.objects.filter(obligation_access_filter(user)).select_related(
        *OBLIGATION_RELATED
    )


def obligation_get_for_user(*, user: User, obligation_uuid) -> Obligation:
    """The obligation, or 404: no existence leak to those without a relationship."""
    return get_object_or_404(obligations_visible_to(user), uuid=obligation_uuid)


def obligation_for_fulfilment(*, user: User, obligation_uuid) -> Obligation:
    """The obligation to fulfil: 404 if the user may not see it, 403 if they see it but it is
    not their organisation's duty (``permissions.can_fulfil``)."""
    obligation = obligation_get_for_user(user=user, obligation_uuid=obligation_uuid)
    if not permissions.can_fulfil(user, obligation):
        raise PermissionDenied("Only the provider's clinicians record what fulfils its duty.")
    return obligation


def obligations_of_patient(*, user: User, patient: Patient) -> QuerySet[Obligation]:
    return obligations_visible_to(user).filter(patient=patient).order_by("-due_at", "-id")


def patient_for_event(*, user: User, nhs_number: str) -> Patient | None:
    """The patient a provider's clinician records a discharge or attendance of: one they may
    already see (a referral to them, an earlier record), by NHS number. A provider never gains
    sight of a new patient by typing a number in (docs/contracts.md, Access)."""
    digits = normalise_nhs_number(nhs_number)
    return patients_visible_to(user).filter(nhs_number=digits).first()


def may_record_for(*, user: User, patient: Patient) -> bool:
    return patients_visible_to(user).filter(pk=patient.pk).exists()
