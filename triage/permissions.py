"""Who may do what to a referral. Pure functions of the user and the referral."""

from __future__ import annotations

from directory.models import OrganisationKind, Role, User
from triage.models import AdviceDirection, AdviceRequest, Referral

PROVIDER_ROLES = frozenset({Role.CONSULTANT, Role.COMMUNITY_CLINICIAN})


def is_panel_member(user: User, panel_id: int | None) -> bool:
    if panel_id is None:
        return False
    return user.panel_memberships.filter(panel_id=panel_id).exists()


def works_at_provider(user: User, referral: Referral) -> bool:
    return user.role in PROVIDER_ROLES and user.organisation_id == referral.provider_id


def can_review(user: User, referral: Referral) -> bool:
    """A consultant (or community clinician) of the provider, or a member of the referral's panel."""
    return user.is_clinician and (
        works_at_provider(user, referral) or is_panel_member(user, referral.panel_id)
    )


def can_manage_pathway(user: User, referral: Referral) -> bool:
    """Booking, DNAs, clock stops, panel assignment, redirection: the provider's clinicians."""
    return works_at_provider(user, referral)


def can_harm_review(user: User, referral: Referral) -> bool:
    return can_review(user, referral)


def can_reply_to_advice(user: User, advice: AdviceRequest) -> bool:
    if not user.is_clinician:
        return False
    if advice.direction == AdviceDirection.TO_GP:
        return user.role == Role.GP and user.organisation_id == advice.practice_id
    return user.role in PROVIDER_ROLES and user.organisation_id == advice.provider_id


def can_refer(user: User) -> bool:
    return user.role == Role.GP and user.organisation.kind == OrganisationKind.GP_PRACTICE
