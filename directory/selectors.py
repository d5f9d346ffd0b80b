"""Reads from the directory. Every patient read goes through the access filter."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from directory.access import patient_access_filter
from directory.models import ApiToken, Organisation, Patient, Role, User
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
