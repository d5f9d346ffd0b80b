"""Who may do what in triage: one predicate per action, the only place each rule is written.

The web views and the API reach a record through ``triage.selectors.referral_for_action`` and
``panel_for_assignment``, which apply these predicates; the services apply the same ones, so a
command or a task is held to the rule exactly as a request is."""

from __future__ import annotations

from directory.models import Organisation, OrganisationKind, Patient, Role, User
from triage.models import AdviceDirection, AdviceRequest, MembershipStatus, Referral, ReviewPanel

PROVIDER_ROLES = frozenset({Role.CONSULTANT, Role.COMMUNITY_CLINICIAN})


def is_panel_member(user: User, panel_id: int | None) -> bool:
    """A member who has accepted their seat: an invitation not yet accepted grants nothing."""
    if panel_id is None:
        return False
    return user.panel_memberships.filter(
        panel_id=panel_id, status=MembershipStatus.ACCEPTED
    ).exists()


def icb_of(organisation: Organisation) -> int:
    """The ICB an organisation belongs to (an ICB is its own)."""
    return organisation.icb_id or organisation.pk


def joins_panel_without_invitation(user: User, provider: Organisation) -> bool:
    """Clinicians of an organisation in the provider's own ICB take their seat at once; anyone
    from outside it is invited and must accept before the panel shows them any patient."""
    return user.organisation_id is not None and icb_of(user.organisation) == icb_of(provider)


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


def can_convert_advice(user: User, advice: AdviceRequest) -> bool:
    """Turning Advice & Guidance into a referral: the specialist service asked, only."""
    return advice.direction == AdviceDirection.TO_SPECIALIST and can_reply_to_advice(user, advice)


def can_refer(user: User) -> bool:
    return user.role == Role.GP and user.organisation.kind == OrganisationKind.GP_PRACTICE


def is_registered_practice_of(organisation: Organisation, patient: Patient) -> bool:
    """The relationship a new referral or Advice & Guidance request starts from: the patient is
    registered at this practice. Sight of a patient through a panel or a referral is never
    enough to send them somewhere new (docs/product.md §1)."""
    return organisation.pk == patient.registered_practice_id


def can_refer_patient(user: User, patient: Patient) -> bool:
    """A GP refers, or asks for Advice & Guidance about, their own practice's patients only."""
    return can_refer(user) and is_registered_practice_of(user.organisation, patient)


def can_cancel(user: User, referral: Referral) -> bool:
    """The provider's clinicians, or a clinician of the referring practice."""
    return can_manage_pathway(user, referral) or (
        user.is_clinician and user.organisation_id == referral.referring_practice_id
    )


def can_set_up_panels(user: User, provider_id: int) -> bool:
    """Setting up a provider's review panels: its own clinicians, or a system administrator."""
    return user.role == Role.ADMIN or (user.is_clinician and user.organisation_id == provider_id)


def can_assign_to_panel(user: User, panel: ReviewPanel) -> bool:
    """Assigning referrals to a panel: the clinicians of the provider that runs it."""
    return user.is_clinician and user.organisation_id == panel.provider_id


# The actions on a referral, by the slug the web and API routes use.
REFERRAL_ACTIONS = {
    "review": can_review,
    "book": can_manage_pathway,
    "dna": can_manage_pathway,
    "stop-clock": can_manage_pathway,
    "cancel": can_cancel,
    "assign-panel": can_manage_pathway,
    "harm-review": can_harm_review,
}


def may_act_on_referral(user: User, referral: Referral, action: str) -> bool:
    return REFERRAL_ACTIONS[action](user, referral)
