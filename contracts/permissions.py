"""Who may do what with contract obligations and breach reports: one predicate per action, the
only place each rule is written (docs/contracts.md, Access). The selectors apply them to fetch
a record for an action (404 unseen, 403 seen but not allowed); the services apply them again."""

from __future__ import annotations

from contracts.models import BreachReport, Obligation
from directory.models import PROVIDER_KINDS, OrganisationKind, Role, User

PROVIDER_ROLES = frozenset({Role.CONSULTANT, Role.COMMUNITY_CLINICIAN})


def _active(user: User) -> bool:
    return user.is_authenticated and user.is_active and user.organisation_id is not None


def is_provider_clinician(user: User) -> bool:
    """A consultant or community clinician of a trust or community provider."""
    return (
        _active(user) and user.role in PROVIDER_ROLES and user.organisation.kind in PROVIDER_KINDS
    )


def can_record_events(user: User) -> bool:
    """Discharges and outpatient attendances are recorded by the provider's staff (or its
    systems, through a staff member's API token), for the caller's own organisation."""
    return is_provider_clinician(user)


def can_fulfil(user: User, obligation: Obligation) -> bool:
    """Recording the document or action: the clinicians of the provider whose duty it is."""
    return is_provider_clinician(user) and user.organisation_id == obligation.provider_id


def is_practice_gp(user: User) -> bool:
    return (
        _active(user)
        and user.role == Role.GP
        and user.organisation.kind == OrganisationKind.GP_PRACTICE
    )


def can_report_breach(user: User) -> bool:
    """GPs report breaches, about their own practice's patients (checked with the patient)."""
    return is_practice_gp(user)


def can_edit_report(user: User, report: BreachReport) -> bool:
    """The letter is the reporting practice's: its GPs edit it; the provider reads it."""
    return is_practice_gp(user) and user.organisation_id == report.practice_id


def can_see_compliance(user: User) -> bool:
    """Compliance figures name no patient: ICB managers (their ICB), administrators (all),
    provider clinicians (their own organisation) and GPs (their ICB's providers)."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.role == Role.ADMIN:
        return True
    if user.organisation_id is None:
        return False
    return user.role == Role.MANAGER or is_provider_clinician(user) or is_practice_gp(user)


def can_use_obligations(user: User) -> bool:
    """The obligations pages: clinicians who hold obligations or whose patients do, and ICB
    managers (pseudonymised rows)."""
    return _active(user) and (
        user.role == Role.MANAGER or is_provider_clinician(user) or is_practice_gp(user)
    )


def can_use_breach_reports(user: User) -> bool:
    """The breach report pages: the reporting practices' GPs and the providers addressed."""
    return is_practice_gp(user) or is_provider_clinician(user)
