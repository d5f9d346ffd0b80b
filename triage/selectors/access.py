"""Which referrals and patients a user may see through triage (docs/product.md §1): the one
place that relationship is written. Every list, page, endpoint and export uses it."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from core.keyset import KeysetEachArm
from directory.access import NOTHING
from directory.models import Organisation, Role, User
from directory.selectors import pseudonym_scope_for
from triage.models import (
    REGISTERED_ELSEWHERE_Q,
    AdviceDirection,
    AdviceRequest,
    MembershipStatus,
    PanelMembership,
    Referral,
)
from triage.permissions import PROVIDER_ROLES


def panel_ids_of(user: User) -> QuerySet:
    """The ids of the panels ``user`` sits on, as a subquery: accepted seats only, so an
    invitation from another ICB's provider shows nothing until it is accepted. Every rule that
    grants sight through a panel (referrals, patients, worklists, panels) reads it."""
    return PanelMembership.objects.filter(user=user, status=MembershipStatus.ACCEPTED).values(
        "panel_id"
    )


def provider_side_q(user: User) -> Q:
    """Referrals the user works on as a provider clinician or a panel member."""
    q = Q(panel_id__in=panel_ids_of(user))
    if user.role in PROVIDER_ROLES:
        q |= Q(provider_id=user.organisation_id)
    return q


def _clinical_referral_q(user: User) -> Q:
    """Referrals a clinician has a legitimate relationship with (docs/product.md §1).

    The practice, registered-patient and panel relationships are one ``id IN (… UNION …)``
    of three index lookups, so PostgreSQL collects a practice's few thousand referrals and
    sorts them, rather than walking the whole national queue in order testing each row (a
    GP's queue page: 620 ms → 25 ms at 7.5 million referrals, docs/benchmarks.md)."""
    org = user.organisation_id
    related = (
        Referral.objects.filter(referring_practice_id=org)
        .values("id")
        .union(
            Referral.objects.filter(patient__registered_practice_id=org).values("id"),
            Referral.objects.filter(panel_id__in=panel_ids_of(user)).values("id"),
        )
    )
    q = Q(pk__in=related)
    if user.role in PROVIDER_ROLES:
        q |= Q(provider_id=org)
    return q


def queue_arms(user: User) -> list | None:
    """A clinician's relationships as the queue's arms (docs/product.md §1), each answered by
    an index in queue order (triage.models.Referral's queue indexes): the referrals their
    organisation made; those of patients registered with it whom another practice referred
    (the copy of the patient's practice on the referral); one arm per panel they sit on; and,
    for provider clinicians, the referrals their organisation received. Their OR is the same
    relationship :func:`referral_access_filter` writes as ``id IN (… UNION …)``, given that only
    GPs' organisations refer and register patients. ``None`` for everyone else (managers walk
    one index; others see nothing)."""
    if not user.is_authenticated or not user.is_active or user.organisation_id is None:
        return None
    if not user.is_clinician:
        return None
    org = user.organisation_id
    arms = []
    if user.role == Role.GP:
        # Only a GP practice refers or registers patients (a GP's organisation is one: the
        # directory's ROLE_ORGANISATION_KINDS), so for anyone else these arms hold nothing
        # and only cost the planner time.
        arms += [
            Q(referring_practice_id=org),
            Q(registered_practice_id=org) & REGISTERED_ELSEWHERE_Q,
        ]
    # One arm per panel they sit on, found in the page's own statement: an index walk in
    # queue order each, where ``panel_id IN (…)`` would be one unordered scan.
    arms.append(KeysetEachArm("panel_id", panel_ids_of(user)))
    if user.role in PROVIDER_ROLES:
        arms.append(Q(provider_id=org))
    return arms


def referral_access_filter(user: User) -> Q:
    """Identifiable access for clinicians; managers see their ICB's referrals pseudonymised."""
    if not user.is_authenticated or not user.is_active or user.organisation_id is None:
        return NOTHING
    if user.is_clinician:
        return _clinical_referral_q(user)
    if user.role == Role.MANAGER:
        # Subqueries rather than joins, so PostgreSQL can walk the queue index in order and
        # test each row against two small hashed sets.
        icb_members = Organisation.objects.filter(icb_id=user.organisation_id).values("id")
        return Q(provider_id__in=icb_members) | Q(referring_practice_id__in=icb_members)
    return NOTHING


def is_pseudonymised_for(user: User) -> bool:
    """Managers never see names, NHS numbers, dates of birth or free-text identifiers."""
    return pseudonym_scope_for(user) is not None


def referral_patient_rule(user: User) -> Q:
    """Clinicians of an organisation the patient is referred to, and members of a panel a
    referral of theirs is assigned to. Registered with the directory by ``TriageConfig``."""
    referrals = Referral.objects.filter(patient_id=OuterRef("pk"))
    return Q(Exists(referrals.filter(provider_side_q(user))))


def advice_patient_rule(user: User) -> Q:
    """The specialist service asked for Advice & Guidance about a patient. Registered with the
    directory by ``TriageConfig``."""
    if user.role not in PROVIDER_ROLES:
        return NOTHING
    return Q(
        Exists(
            AdviceRequest.objects.filter(
                patient_id=OuterRef("pk"),
                provider_id=user.organisation_id,
                direction=AdviceDirection.TO_SPECIALIST,
            )
        )
    )
