"""Reads from the directory. Every patient read goes through the access filter."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from directory.access import patient_access_filter
from directory.models import (
    CLINICAL_ROLES,
    PROVIDER_KINDS,
    ApiToken,
    Organisation,
    OrganisationKind,
    Patient,
    Role,
    User,
)
from directory.rules import api_token_hash
from directory.validators import normalise_nhs_number

# The pseudonym scope of everyone who is neither a clinician nor an ICB manager (administrators
# above all): they see no patient rows, and if they ever did, the pseudonyms would match no ICB's.
ADMIN_PSEUDONYM_SCOPE = "admin"


def patients_visible_to(user: User) -> QuerySet[Patient]:
    return Patient.objects.filter(patient_access_filter(user)).select_related("registered_practice")


def patients_referrable_by(user: User) -> QuerySet[Patient]:
    """Patients registered at the user's own practice: the only patients a GP may refer or ask
    Advice & Guidance about. Sight through a panel, a referral or a request never counts
    (docs/product.md §1): a new referral grants the provider lasting sight of the patient."""
    if not user.is_authenticated or not user.is_active or not user.is_clinician:
        return Patient.objects.none()
    if user.organisation_id is None:
        return Patient.objects.none()
    return Patient.objects.filter(registered_practice_id=user.organisation_id).select_related(
        "registered_practice"
    )


def pseudonym_scope_for(user: User) -> str | None:
    """How patients are named to ``user``: ``None`` means identifiably (clinicians, whose rows
    the access rules already limit); otherwise the scope of the pseudonyms they see. Each ICB's
    managers get pseudonyms of their own, so two ICBs cannot link their rows
    (docs/product.md §1: managers see pseudonymised rows only)."""
    if user.is_authenticated and user.is_clinician:
        return None
    if user.is_authenticated and user.role == Role.MANAGER and user.organisation_id is not None:
        return f"icb:{user.organisation_id}"
    return ADMIN_PSEUDONYM_SCOPE


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


def api_token_for_key(*, key: str) -> ApiToken | None:
    """The token whose key this is (found by the key's hash), with its holder, or None."""
    return ApiToken.objects.select_related("user").filter(key_hash=api_token_hash(key)).first()


def api_tokens_live_of(*, user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True)


def user_get(*, username: str) -> User | None:
    return User.objects.filter(username=username).first()


# Pickers suggest a handful of matches as the user types; more would not help them choose.
PICKER_LIMIT = 20
# ``kind=provider`` in a picker: the organisations that receive referrals.
PROVIDER_KIND_ALIAS = "provider"


def organisations_search(*, search: str = "", kind: str = "") -> QuerySet[Organisation]:
    """Organisations whose ODS code starts with, or whose name contains, ``search`` (at most
    ``PICKER_LIMIT``). ``kind`` is an ``OrganisationKind`` or ``"provider"``. Organisations are
    reference data, not patient data, so every signed-in user may search them."""
    organisations = Organisation.objects.all()
    if kind == PROVIDER_KIND_ALIAS:
        organisations = organisations.filter(kind__in=PROVIDER_KINDS)
    elif kind:
        organisations = organisations.filter(kind=kind)
    for term in search.split():
        organisations = organisations.filter(
            Q(ods_code__istartswith=term) | Q(name__icontains=term)
        )
    return organisations.order_by("name", "id")[:PICKER_LIMIT]


def organisation_kind_valid(kind: str) -> bool:
    return not kind or kind == PROVIDER_KIND_ALIAS or kind in OrganisationKind.values


def clinicians_search(*, search: str = "") -> QuerySet[User]:
    """Active clinicians whose name contains, or whose username starts with, every word of
    ``search`` (at most ``PICKER_LIMIT``), with their organisation."""
    clinicians = User.objects.filter(role__in=CLINICAL_ROLES, is_active=True)
    for term in search.split():
        clinicians = clinicians.filter(
            Q(username__istartswith=term)
            | Q(first_name__icontains=term)
            | Q(last_name__icontains=term)
        )
    return clinicians.select_related("organisation").order_by("last_name", "first_name", "id")[
        :PICKER_LIMIT
    ]
