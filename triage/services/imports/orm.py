"""PTL import, pass 2 on SQLite (local development): the same rules through the ORM, chunk by
chunk."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path

from django.utils import timezone

from audit.models import AuditAction
from audit.services import COMMAND_CONTEXT, audit_record
from directory.models import Patient
from triage.models import (
    EventKind,
    Referral,
    ReferralEvent,
    Status,
)
from triage.services.imports import staging
from triage.services.imports.postgresql import REFERRAL_DERIVED, REFERRAL_UPDATE
from triage.services.imports.staging import (
    STAGING,
    STAGING_COLUMNS,
)

# SQLite (local development): the same rules through the ORM, chunk by chunk.


def write_orm(cursor, *, path: str, actor) -> dict:
    detail = f"PTL import {Path(path).name}"[:300]
    names = [name for name, _ in STAGING_COLUMNS]
    counts = {"created": 0, "updated": 0, "patients_created": 0, "patients_updated": 0}
    providers: set[int] = set()
    # Patients first, the last row of the file for each NHS number winning.
    cursor.execute(
        f"SELECT nhs_number, family_name, given_name, date_of_birth, practice_id "  # noqa: S608
        f"FROM {STAGING} s WHERE row_number = (SELECT MAX(row_number) FROM {STAGING} t "
        f"WHERE t.nhs_number = s.nhs_number) ORDER BY row_number"
    )
    while batch := cursor.fetchmany(staging.CHUNK_ROWS):
        _orm_patients(batch, counts, detail, actor)
    cursor.execute(f"SELECT {', '.join(names)} FROM {STAGING} ORDER BY row_number")  # noqa: S608
    while batch := cursor.fetchmany(staging.CHUNK_ROWS):
        rows = [dict(zip(names, row, strict=True)) for row in batch]
        _orm_referrals(rows, counts, providers, detail, actor)
    counts["provider_ids"] = sorted(providers)
    return counts


def _as_date(value) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else value


def _orm_patients(batch, counts: dict, detail: str, actor) -> None:
    existing = {
        p.nhs_number: p for p in Patient.objects.filter(nhs_number__in=[row[0] for row in batch])
    }
    write, audits = [], []
    for nhs, family, given, born, practice_id in batch:
        values = (family, given, _as_date(born), practice_id)
        current = existing.get(nhs)
        if current is None:
            write.append(Patient(uuid=uuid.uuid4(), nhs_number=nhs))
            counts["patients_created"] += 1
            action = AuditAction.CREATE
        elif (
            current.family_name,
            current.given_name,
            current.date_of_birth,
            current.registered_practice_id,
        ) != values:
            # A fresh object without a primary key: the upsert matches on the NHS number.
            write.append(Patient(uuid=current.uuid, nhs_number=nhs))
            counts["patients_updated"] += 1
            action = AuditAction.UPDATE
        else:
            continue
        patient = write[-1]
        (
            patient.family_name,
            patient.given_name,
            patient.date_of_birth,
            patient.registered_practice_id,
        ) = values
        audits.append((patient, action))
    Patient.objects.bulk_create(
        write,
        update_conflicts=True,
        unique_fields=["nhs_number"],
        update_fields=["family_name", "given_name", "date_of_birth", "registered_practice"],
    )
    ids = dict(
        Patient.objects.filter(nhs_number__in=[p.nhs_number for p, _ in audits]).values_list(
            "nhs_number", "id"
        )
    )
    _audit(
        [(ids[p.nhs_number], str(p.uuid), action) for p, action in audits],
        object_type="patient",
        actor=actor,
        detail=detail,
    )


def _audit(events: list[tuple], *, object_type: str, actor, detail: str) -> None:
    """``(patient id, object id, action)`` triples, through ``audit_record`` (which links them
    into the audit chain), one call per action."""
    for action in (AuditAction.CREATE, AuditAction.UPDATE):
        rows = [(patient_id, object_id) for patient_id, object_id, a in events if a == action]
        if rows:
            audit_record(
                actor=actor,
                context=COMMAND_CONTEXT,
                action=action,
                object_type=object_type,
                patient_ids=[patient_id for patient_id, _ in rows],
                object_ids=[object_id for _, object_id in rows],
                detail=detail,
            )


# The fields a PTL row sets (the same as the SQL upsert's), and the derived queue fields.
_COMPARED = tuple(REFERRAL_UPDATE)
_QUEUE_FIELDS = ("effective_category", "urgency_rank", "target_date")
_KEPT_WHEN_REVIEWED = ("category", "deferred", "contact_on", *_QUEUE_FIELDS)
_ORM_UPDATE_FIELDS = [
    *(name.removesuffix("_id") for name in _COMPARED),
    *REFERRAL_DERIVED,
]


def _orm_referrals(rows: list[dict], counts: dict, providers: set[int], detail: str, actor) -> None:
    patient_ids = dict(
        Patient.objects.filter(nhs_number__in={r["nhs_number"] for r in rows}).values_list(
            "nhs_number", "id"
        )
    )
    existing = {r.ubrn: r for r in Referral.objects.filter(ubrn__in=[r["ubrn"] for r in rows])}
    now = timezone.now()
    write: list[Referral] = []
    created: list[Referral] = []
    updated: list[Referral] = []
    clock_events: list[ReferralEvent] = []
    for row in rows:
        for key in ("clock_start", "target_date", "contact_on", "date_of_birth"):
            row[key] = _as_date(row[key])
        row["deferred"] = bool(row["deferred"])
        current = existing.get(row["ubrn"])
        new = {
            "patient_id": patient_ids[row["nhs_number"]],
            "referring_practice_id": row["practice_id"],
            "provider_id": row["provider_id"],
            "treatment_function_id": row["treatment_function_id"],
            "priority": row["priority"],
            "clock_start": row["clock_start"],
            "reason": row["reason"],
            "category": row["category"],
            "deferred": row["deferred"],
            "contact_on": row["contact_on"],
            "effective_category": row["effective_category"],
            "urgency_rank": row["urgency_rank"],
            "target_date": row["target_date"],
        }
        if current is None:
            referral = Referral(
                uuid=uuid.uuid4(),
                ubrn=row["ubrn"],
                status=Status.AWAITING_REVIEW if row["category"] is None else Status.ACCEPTED,
                created_at=now,
                updated_at=now,
                **new,
            )
            write.append(referral)
            created.append(referral)
            continue
        if row["category"] is None and current.category is not None:
            for key in _KEPT_WHEN_REVIEWED:
                new[key] = getattr(current, key)
        elif row["deferred"] and current.deferred and current.contact_on:
            new["contact_on"] = current.contact_on
        if all(getattr(current, key) == new[key] for key in _COMPARED):
            continue
        if current.clock_start != new["clock_start"]:
            clock_events.append(
                ReferralEvent(
                    referral_id=current.pk,
                    kind=EventKind.CLOCK,
                    clock_start_before=current.clock_start,
                    clock_start_after=new["clock_start"],
                    note="RTT clock start changed by the patient tracking list",
                )
            )
        if current.provider_id != new["provider_id"]:
            providers.add(current.provider_id)
        # A fresh object without a primary key: the upsert matches on the UBRN.
        referral = Referral(
            uuid=current.uuid,
            ubrn=current.ubrn,
            status=current.status,
            version=current.version + 1,
            created_at=current.created_at,
            updated_at=now,
            **new,
        )
        write.append(referral)
        updated.append(referral)
    Referral.objects.bulk_create(
        write, update_conflicts=True, unique_fields=["ubrn"], update_fields=_ORM_UPDATE_FIELDS
    )
    ids = dict(
        Referral.objects.filter(ubrn__in=[r.ubrn for r in created]).values_list("ubrn", "id")
    )
    events = list(clock_events)
    for referral in created:
        referral.pk = ids[referral.ubrn]
        events.append(
            ReferralEvent(
                referral_id=referral.pk, kind=EventKind.CREATED, to_status=referral.status
            )
        )
        events.append(
            ReferralEvent(
                referral_id=referral.pk,
                kind=EventKind.CLOCK,
                clock_start_after=referral.clock_start,
                note="RTT clock started",
            )
        )
    ReferralEvent.objects.bulk_create(events)
    _audit(
        [
            (referral.patient_id, str(referral.uuid), action)
            for group, action in ((created, AuditAction.CREATE), (updated, AuditAction.UPDATE))
            for referral in group
        ],
        object_type="referral",
        actor=actor,
        detail=detail,
    )
    counts["created"] += len(created)
    counts["updated"] += len(updated)
    providers.update(r.provider_id for r in write)
