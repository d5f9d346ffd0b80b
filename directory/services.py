"""Writes to the directory: organisations, users, API tokens, patients and audit events."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from audit.models import AuditAction
from audit.services import AuditContext, audit_record, audit_records_shown
from core.csvimport import ImportRejected, RowError, csv_rows, open_text
from core.errors import ApplicationError
from directory.models import (
    ROLE_ORGANISATION_KINDS,
    ApiToken,
    Organisation,
    OrganisationKind,
    Patient,
    Role,
    TokenRevocation,
    User,
)
from directory.rules import api_token_hash
from directory.selectors import pseudonym_scope_for
from directory.validators import normalise_nhs_number, validate_nhs_number, validate_ods_code

ORGANISATION_COLUMNS = ("ods_code", "name", "kind", "icb")


@transaction.atomic
def organisation_import_csv(*, path: str) -> dict[str, int]:
    """Import ``ods_code, name, kind, icb`` rows; all or nothing; re-import changes nothing.

    ``icb`` names the ICB's ODS code, found in the same file or already in the directory;
    it is empty for an ICB itself.
    """
    errors: list[RowError] = []
    rows: list[tuple[int, dict[str, str]]] = []
    seen: dict[str, int] = {}
    with open_text(path) as handle:
        for row_number, record in csv_rows(handle, ORGANISATION_COLUMNS):
            code = record["ods_code"].upper()
            record["ods_code"] = code
            record["icb"] = record["icb"].upper()
            try:
                validate_ods_code(code)
            except ValidationError as exc:
                errors.append(RowError(row_number, "ods_code", exc.messages[0]))
            if code in seen:
                errors.append(
                    RowError(
                        row_number, "ods_code", f"{code} appears again (first on row {seen[code]})"
                    )
                )
            seen.setdefault(code, row_number)
            if not record["name"]:
                errors.append(RowError(row_number, "name", "a name is required"))
            if record["kind"] not in OrganisationKind.values:
                errors.append(
                    RowError(
                        row_number,
                        "kind",
                        f"'{record['kind']}' is not one of {', '.join(OrganisationKind.values)}",
                    )
                )
            rows.append((row_number, record))

    file_icbs = {r["ods_code"] for _, r in rows if r["kind"] == OrganisationKind.ICB}
    known_icbs = set(
        Organisation.objects.filter(kind=OrganisationKind.ICB).values_list("ods_code", flat=True)
    )
    for row_number, record in rows:
        if record["kind"] == OrganisationKind.ICB:
            if record["icb"]:
                errors.append(RowError(row_number, "icb", "an ICB does not belong to another ICB"))
        elif not record["icb"]:
            errors.append(
                RowError(row_number, "icb", "the ODS code of the organisation's ICB is required")
            )
        elif record["icb"] not in file_icbs | known_icbs:
            errors.append(RowError(row_number, "icb", f"no ICB with ODS code {record['icb']}"))
    if errors:
        raise ImportRejected(sorted(errors, key=lambda e: (e.row, e.column)))

    icb_rows = [r for _, r in rows if r["kind"] == OrganisationKind.ICB]
    Organisation.objects.bulk_create(
        [Organisation(ods_code=r["ods_code"], name=r["name"], kind=r["kind"]) for r in icb_rows],
        update_conflicts=True,
        unique_fields=["ods_code"],
        update_fields=["name", "kind"],
    )
    icb_ids = dict(
        Organisation.objects.filter(kind=OrganisationKind.ICB).values_list("ods_code", "id")
    )
    other_rows = [r for _, r in rows if r["kind"] != OrganisationKind.ICB]
    Organisation.objects.bulk_create(
        [
            Organisation(
                ods_code=r["ods_code"], name=r["name"], kind=r["kind"], icb_id=icb_ids[r["icb"]]
            )
            for r in other_rows
        ],
        update_conflicts=True,
        unique_fields=["ods_code"],
        update_fields=["name", "kind", "icb"],
    )
    return {"icbs": len(icb_rows), "organisations": len(other_rows)}


def _with_article(noun: str) -> str:
    """ "an ICB manager", "an Administrator", "a GP" (by the sound of the first letter)."""
    return (
        f"{'an' if noun[:1].upper() in 'AEIOU' or noun.startswith(('ICB', 'NHS')) else 'a'} {noun}"
    )


def _role_organisation_errors(role: str, organisation: Organisation | None) -> dict[str, list[str]]:
    """A user has one role at one organisation of the kind that role works for (docs/product.md §1)."""
    if role not in Role.values:
        return {"role": [f"'{role}' is not one of {', '.join(Role.values)}"]}
    if organisation is None and role != Role.ADMIN:
        return {"organisation": ["This role needs an organisation."]}
    if organisation is not None and organisation.kind not in ROLE_ORGANISATION_KINDS[role]:
        kinds = " or ".join(
            _with_article(OrganisationKind(k).label) for k in sorted(ROLE_ORGANISATION_KINDS[role])
        )
        return {
            "organisation": [
                f"{_with_article(Role(role).label)[0].upper()}{_with_article(Role(role).label)[1:]} works for {kinds}, not "
                f"{_with_article(OrganisationKind(organisation.kind).label)}."
            ]
        }
    return {}


@transaction.atomic
def user_create(
    *,
    username: str,
    role: str,
    organisation: Organisation | None,
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    is_returning_clinician: bool = False,
    specialties: list[str] | None = None,
) -> User:
    """Create a user with one role at one organisation of the kind that role works for."""
    errors = _role_organisation_errors(role, organisation)
    if errors:
        raise ApplicationError("The user was not created.", field_errors=errors)
    if User.objects.filter(username=username).exists():
        raise ApplicationError(
            "Username taken.",
            field_errors={"username": [f"A user called {username} already exists."]},
        )
    user = User(
        username=username,
        role=role,
        organisation=organisation,
        first_name=first_name,
        last_name=last_name,
        email=email,
        is_returning_clinician=is_returning_clinician,
        specialties=specialties or [],
        is_staff=role == Role.ADMIN,
        is_superuser=role == Role.ADMIN,
    )
    if password:
        try:
            # Django's validators (AUTH_PASSWORD_VALIDATORS), given the user so that a password
            # too like the username or name is refused as well as a short or common one.
            validate_password(password, user=user)
        except ValidationError as exc:
            raise ApplicationError(
                "Password refused.", field_errors={"password": exc.messages}
            ) from exc
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean()
    user.save()
    return user


@transaction.atomic
def user_reassign(*, user: User, role: str, organisation: Organisation | None) -> User:
    """Move a user to another role or organisation. The API tokens issued for the old one are
    revoked for good, so a token never carries its access along, nor does a move back revive it
    (docs/api.md, Tokens)."""
    errors = _role_organisation_errors(role, organisation)
    if errors:
        raise ApplicationError("The user was not moved.", field_errors=errors)
    user.role = role
    user.organisation = organisation
    user.save(update_fields=["role", "organisation"])
    api_tokens_revoke_stale(user=user)
    return user


@transaction.atomic
def patient_create(
    *,
    actor: User | None,
    context: AuditContext,
    nhs_number: str,
    family_name: str,
    given_name: str,
    date_of_birth: date,
    registered_practice: Organisation,
) -> Patient:
    digits = normalise_nhs_number(nhs_number)
    try:
        validate_nhs_number(digits)
    except ValidationError as exc:
        raise ApplicationError(
            "Invalid NHS number.", field_errors={"nhs_number": exc.messages}
        ) from exc
    if registered_practice.kind != OrganisationKind.GP_PRACTICE:
        raise ApplicationError(
            "Not a GP practice.",
            field_errors={"registered_practice": ["A patient registers with a GP practice."]},
        )
    if Patient.objects.filter(nhs_number=digits).exists():
        raise ApplicationError(
            "Patient exists.",
            field_errors={"nhs_number": ["A patient with this NHS number exists."]},
        )
    patient = Patient.objects.create(
        nhs_number=digits,
        family_name=family_name,
        given_name=given_name,
        date_of_birth=date_of_birth,
        registered_practice=registered_practice,
    )
    audit_record(
        actor=actor,
        context=context,
        action=AuditAction.CREATE,
        object_type="patient",
        patient_ids=[patient.pk],
        object_ids=[str(patient.uuid)],
    )
    return patient


@transaction.atomic
def api_token_issue(*, user: User) -> tuple[ApiToken, str]:
    """A new token for ``user``, good for ``API_TOKEN_DAYS`` days at their current organisation
    and role. Returns the token and its key; the key is not kept and cannot be shown again."""
    if not user.is_active:
        raise ApplicationError(
            "Inactive user.", field_errors={"user": [f"{user.username} is inactive."]}
        )
    key = secrets.token_hex(20)
    now = timezone.now()
    token = ApiToken.objects.create(
        key_hash=api_token_hash(key),
        prefix=key[:8],
        user=user,
        organisation=user.organisation,
        role=user.role,
        created_at=now,
        expires_at=now + timedelta(days=settings.API_TOKEN_DAYS),
    )
    return token, key


@transaction.atomic
def api_tokens_revoke(*, tokens: Iterable[ApiToken], reason: str) -> int:
    """Revoke the tokens not yet revoked; returns how many were."""
    ids = [token.pk for token in tokens]
    return ApiToken.objects.filter(pk__in=ids, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_reason=reason
    )


@transaction.atomic
def api_tokens_revoke_stale(*, user: User) -> int:
    """Revoke ``user``'s live tokens issued for another organisation or role than the user's
    now, so that a move does not carry a token's access along, nor a move back revive it."""
    # exclude(organisation_id=None) reads as IS NULL, so an administrator without one matches.
    stale = ApiToken.objects.filter(user=user, revoked_at__isnull=True).exclude(
        role=user.role, organisation_id=user.organisation_id
    )
    return stale.update(
        revoked_at=timezone.now(), revoked_reason=TokenRevocation.ORGANISATION_OR_ROLE_CHANGED
    )


def patient_records_shown(*, user, context: AuditContext, records, action: str, object_type: str):
    """Audit the patient-identifiable records a page or an API response shows ``user``: one
    event per record (each a model instance or a ``.values()`` row carrying ``patient_id`` and
    ``uuid``). Managers and administrators are shown pseudonymised rows only, which identify
    nobody, so their reads write nothing. Every app's pages and API audit their reads here."""
    if pseudonym_scope_for(user) is not None:
        return
    audit_records_shown(
        actor=user, context=context, records=records, action=action, object_type=object_type
    )
