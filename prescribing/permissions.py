"""Who may do what in prescribing: one predicate per action, the only place each rule is
written. Pages and the API reach a record through the fetch-and-authorise selectors
(``prescription_for_action``, ``agreement_for_action``), which apply these; the services apply
the same ones, so a command or the admin is held to the rule exactly as a request is."""

from __future__ import annotations

from directory.models import Patient, Role, User
from prescribing import rules
from prescribing.models import Prescription, SharedCareAgreement

# Prescribers: any clinician of primary, community or secondary care (docs/product.md §4).
PRESCRIBER_ROLES = frozenset({Role.GP, Role.CONSULTANT, Role.COMMUNITY_CLINICIAN})


def _active_with_organisation(user: User) -> bool:
    return user.is_authenticated and user.is_active and user.organisation_id is not None


def can_prescribe(user: User) -> bool:
    """A GP, a consultant or a community clinician, at an organisation of their sector."""
    return (
        _active_with_organisation(user)
        and user.role in PRESCRIBER_ROLES
        and rules.sector_of(user.organisation.kind) is not None
    )


def can_sit_on_committee(user: User) -> bool:
    """A committee member is a prescriber: their organisation gives the sector they bring."""
    return can_prescribe(user)


def can_set_up_budgets(user: User) -> bool:
    """Budgets are set up by the ICB's managers or by an administrator (docs/product.md §4)."""
    if not (user.is_authenticated and user.is_active):
        return False
    return user.role == Role.ADMIN or (
        user.role == Role.MANAGER and user.organisation_id is not None
    )


def can_set_up_budget_for(user: User, icb_id: int) -> bool:
    """An administrator for any ICB; a manager for their own ICB only."""
    if not can_set_up_budgets(user):
        return False
    return user.role == Role.ADMIN or user.organisation_id == icb_id


def can_use_budget_pages(user: User) -> bool:
    """Budget pages serve committee members (prescribers), managers and administrators."""
    return can_set_up_budgets(user) or can_prescribe(user)


def is_gp_of(user: User, patient: Patient) -> bool:
    """A GP of the patient's registered practice: the patient's GP."""
    return (
        _active_with_organisation(user)
        and user.role == Role.GP
        and user.organisation_id == patient.registered_practice_id
    )


def is_prescriber_of(user: User, prescription: Prescription) -> bool:
    return user.is_authenticated and user.pk == prescription.prescriber_id


def can_dispense(user: User, prescription: Prescription) -> bool:
    """The prescriber records the dispensing, standing in for the EPS dispensing notification
    (docs/product.md §4)."""
    return is_prescriber_of(user, prescription)


def can_cancel(user: User, prescription: Prescription) -> bool:
    return is_prescriber_of(user, prescription)


def can_propose_shared_care(user: User) -> bool:
    """The initiating consultant: secondary care."""
    return can_prescribe(user) and user.role == Role.CONSULTANT


def can_answer_agreement(user: User, agreement: SharedCareAgreement) -> bool:
    """Accepting or declining is for the GP the agreement names, and nobody else."""
    return user.is_authenticated and user.is_active and user.pk == agreement.gp_id


def is_party_to(user: User, agreement: SharedCareAgreement) -> bool:
    return user.is_authenticated and user.pk in (agreement.consultant_id, agreement.gp_id)


def can_end_agreement(user: User, agreement: SharedCareAgreement) -> bool:
    """Either party ends it: the consultant (the medicine is stopped or changed) or the GP (who
    hands prescribing back)."""
    return user.is_active and is_party_to(user, agreement)


def can_prescribe_under(user: User, agreement: SharedCareAgreement) -> bool:
    """Under an accepted agreement both parties prescribe: the consultant the first supplies,
    the GP thereafter."""
    return can_prescribe(user) and is_party_to(user, agreement)


# The actions on a record, by the slug the web and API routes use.
PRESCRIPTION_ACTIONS = {"dispense": can_dispense, "cancel": can_cancel}
AGREEMENT_ACTIONS = {
    "accept": can_answer_agreement,
    "decline": can_answer_agreement,
    "end": can_end_agreement,
}
