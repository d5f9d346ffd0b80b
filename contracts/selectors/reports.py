"""Breach report reads: the reports a user may see, one to read or edit."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from contracts import permissions
from contracts.models import BreachReport
from contracts.selectors.access import breach_report_access_filter
from directory.models import Patient, User
from directory.selectors import patients_referrable_by
from directory.validators import normalise_nhs_number

REPORT_RELATED = ("patient", "provider", "provider__icb", "practice", "reported_by")


def breach_reports_visible_to(user: User) -> QuerySet[BreachReport]:
    return BreachReport.objects.filter(breach_report_access_filter(user)).select_related(
        *REPORT_RELATED
    )


def breach_report_get_for_user(*, user: User, report_uuid) -> BreachReport:
    """The report, or 404 for anyone who may not see it."""
    return get_object_or_404(breach_reports_visible_to(user), uuid=report_uuid)


def breach_report_for_edit(*, user: User, report_uuid) -> BreachReport:
    """The report whose letter is to be edited: 404 unseen, 403 for the provider, who reads
    the report addressed to it but does not write the practice's letter."""
    report = breach_report_get_for_user(user=user, report_uuid=report_uuid)
    if not permissions.can_edit_report(user, report):
        raise PermissionDenied("Only the reporting practice's GPs edit its letter.")
    return report


def patient_for_report(*, user: User, nhs_number: str) -> Patient | None:
    """A GP reports a breach about a patient registered at their own practice."""
    digits = normalise_nhs_number(nhs_number)
    return patients_referrable_by(user).filter(nhs_number=digits).first()


def may_report_for(*, user: User, patient: Patient) -> bool:
    return patients_referrable_by(user).filter(pk=patient.pk).exists()
