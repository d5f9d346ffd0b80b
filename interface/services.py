"""Writes to the directory: organisations, users, patients and audit events."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from interface.csvimport import ImportRejected, RowError, csv_rows, open_text
from interface.errors import ApplicationError
from interface.models import (
    ROLE_ORGANISATION_KINDS,
    AuditAction,
    AuditClient,
    AuditEvent,
    Organisation,
    OrganisationKind,
    Patient,
    Role,
    User,
)
from interface.validators import normalise_nhs_number, validate_nhs_number, validate_ods_code


@dataclass(frozen=True)
class AuditContext:
    """Where a request came from, for the audit trail."""

    client: str
    ip_address: str | None = None
    user_agent: str = ""

    @classmethod
    def from_request(cls, request) -> AuditContext:
        path = request.path
        if path.startswith("/api/"):
            client = AuditClient.API
        elif path.startswith("/admin/"):
            client = AuditClient.ADMIN
        else:
            client = AuditClient.BROWSER
        return cls(
            client=client,
            ip_address=request.META.get("REMOTE_ADDR") or None,
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
        )


COMMAND_CONTEXT = AuditContext(client=AuditClient.COMMAND)
TASK_CONTEXT = AuditContext(client=AuditClient.TASK)


def audit_record(
    *,
    actor: User | None,
    context: AuditContext,
    action: str,
    object_type: str,
    patient_ids: Iterable[int | None],
    object_ids: Iterable[str] | None = None,
    detail: str = "",
) -> None:
    """Write one audit event per patient touched, in a single INSERT."""
    patient_ids = list(patient_ids)
    object_ids = [str(o) for o in object_ids] if object_ids is not None else [""] * len(patient_ids)
    if len(object_ids) != len(patient_ids):
        raise ValueError("audit_record: one object id per patient id")
    if not patient_ids:
        return
    user_id = actor.pk if actor is not None and actor.is_authenticated else None
    shared = {
        "user_id": user_id,
        "action": action,
        "client": context.client,
        "object_type": object_type,
        "ip_address": context.ip_address,
        "user_agent": context.user_agent,
        "detail": detail[:300],
    }
    if connection.vendor == "postgresql":
        _audit_insert_arrays(shared, patient_ids, object_ids)
        return
    AuditEvent.objects.bulk_create(
        AuditEvent(patient_id=patient_id, object_id=object_id, **shared)
        for patient_id, object_id in zip(patient_ids, object_ids, strict=True)
    )


def audit_records_shown(request, records, *, action: str, object_type: str) -> None:
    """One audit event per record a page or response shows, in one INSERT: each record is a
    model instance or a ``.values()`` row carrying ``patient_id`` and ``uuid``."""
    records = list(records)
    if not records:
        return

    def field(record, name: str):
        return record[name] if isinstance(record, dict) else getattr(record, name)

    audit_record(
        actor=request.user,
        context=AuditContext.from_request(request),
        action=action,
        object_type=object_type,
        patient_ids=[field(r, "patient_id") for r in records],
        object_ids=[str(field(r, "uuid")) for r in records],
    )


def _audit_insert_arrays(shared: dict, patient_ids: list, object_ids: list[str]) -> None:
    """The same rows as ``bulk_create``, as one statement with the per-row values bound as two
    arrays: a queue page's fifty events cost one round trip and no per-row ORM work."""
    columns = ", ".join(shared)
    placeholders = ", ".join(["%s"] * len(shared))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {AuditEvent._meta.db_table} "  # noqa: S608 - our own column names
            f"(at, patient_id, object_id, {columns}) "
            f"SELECT %s, t.patient_id, t.object_id, {placeholders} "
            "FROM unnest(%s::bigint[], %s::varchar[]) AS t(patient_id, object_id)",
            [timezone.now(), *shared.values(), patient_ids, object_ids],
        )


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
    if role not in Role.values:
        raise ApplicationError(
            "Unknown role.",
            field_errors={"role": [f"'{role}' is not one of {', '.join(Role.values)}"]},
        )
    if organisation is None and role != Role.ADMIN:
        raise ApplicationError(
            "An organisation is required.",
            field_errors={"organisation": ["This role needs an organisation."]},
        )
    if organisation is not None and organisation.kind not in ROLE_ORGANISATION_KINDS[role]:
        raise ApplicationError(
            "Role and organisation do not match.",
            field_errors={
                "organisation": [
                    f"A {Role(role).label} works for a "
                    f"{' or '.join(OrganisationKind(k).label for k in sorted(ROLE_ORGANISATION_KINDS[role]))}, "
                    f"not a {OrganisationKind(organisation.kind).label}."
                ]
            },
        )
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
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean()
    user.save()
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
