"""Which obligations, breach reports and patients a user may see through contracts
(docs/product.md §1, §5; docs/contracts.md, Access): the one place that is written."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from contracts.models import Attendance, Discharge, Obligation
from contracts.permissions import PROVIDER_ROLES, is_practice_gp, is_provider_clinician
from directory.access import NOTHING
from directory.models import Organisation, Patient, Role, User
from directory.selectors import pseudonym_scope_for


def _registered_at(practice_id: int) -> Q:
    # A subquery, so a practice's few thousand patients are collected by their index.
    return Q(patient_id__in=Patient.objects.filter(registered_practice_id=practice_id).values("id"))


def _icb_providers(icb_id: int):
    return Organisation.objects.filter(icb_id=icb_id).values("id")


def obligation_access_filter(user: User) -> Q:
    """The provider's clinicians see its obligations; the GPs of the patient's registered
    practice see their patients'; ICB managers see those of their ICB's providers,
    pseudonymised (``is_pseudonymised_for``). Nobody else sees any."""
    if not user.is_authenticated or not user.is_active or user.organisation_id is None:
        return NOTHING
    if is_provider_clinician(user):
        return Q(provider_id=user.organisation_id)
    if is_practice_gp(user):
        return _registered_at(user.organisation_id)
    if user.role == Role.MANAGER:
        return Q(provider_id__in=_icb_providers(user.organisation_id))
    return NOTHING


def breach_report_access_filter(user: User) -> Q:
    """The reporting practice's GPs, and the clinicians of the provider the report is
    addressed to (the letter goes to them). Managers see counts only (compliance)."""
    if is_practice_gp(user):
        return Q(practice_id=user.organisation_id)
    if is_provider_clinician(user):
        return Q(provider_id=user.organisation_id)
    return NOTHING


def is_pseudonymised_for(user: User) -> bool:
    """Managers never see names, NHS numbers or dates of birth."""
    return pseudonym_scope_for(user) is not None


def contracts_patient_rule(user: User) -> Q:
    """The clinicians of a provider that recorded a discharge or an attendance of the patient,
    or holds an obligation to them (a diagnostic result it requested): the provider's duty to
    the patient is a legitimate relationship. Registered with the directory by
    ``ContractsConfig``."""
    if user.role not in PROVIDER_ROLES or user.organisation_id is None:
        return NOTHING
    org = user.organisation_id
    return (
        Q(Exists(Obligation.objects.filter(patient_id=OuterRef("pk"), provider_id=org)))
        | Q(Exists(Discharge.objects.filter(patient_id=OuterRef("pk"), provider_id=org)))
        | Q(Exists(Attendance.objects.filter(patient_id=OuterRef("pk"), provider_id=org)))
    )
