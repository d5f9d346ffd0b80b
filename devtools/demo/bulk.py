"""Generated rows into the database: COPY on PostgreSQL, ``bulk_create`` on SQLite, in chunks
with explicit ids, then each new referral's history, set-based."""

from __future__ import annotations

import random
import uuid
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from devtools.demo.generate import RECENT_PATIENTS
from devtools.demo.history import Story, referral_story
from directory.models import Organisation, Patient
from triage.models import Referral, ReferralEvent, Review
from triage.rules import queue_fields
from triage.services.imports import copy_rows


@dataclass
class DemoWriteResult:
    referrals: int = 0
    patients: int = 0
    first_referral_id: int = 0


def _next_id(model) -> int:
    return (model.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1


def _reset_sequence(cursor, model) -> None:
    if connection.vendor == "postgresql":
        table = model._meta.db_table
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
            f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
        )


def demo_referrals_write(
    rows: Iterator[dict],
    *,
    seed: int = 2026,
    chunk_size: int = 10_000,
    panel_for_service: dict[tuple[int, str], int] | None = None,
    clinician_for_practice: dict[int, int] | None = None,
    reviewers: dict[int, list[int]] | None = None,
    panel_members: dict[int, list[int]] | None = None,
    progress: Callable[[int], None] | None = None,
) -> DemoWriteResult:
    """Write generated rows: COPY on PostgreSQL, ``bulk_create`` on SQLite, in chunks, with
    explicit ids, each with its history and (when it has a category and its provider a
    clinician in ``reviewers``, provider id to user ids) its review, dated on its own dates.
    A referral with a panel is reviewed by one of ``panel_members`` (panel id to clinicians'
    user ids) about half the time."""
    rng = random.Random(seed + 1)
    story_rng = random.Random(seed + 2)
    reviewers = reviewers or {}
    panel_members = panel_members or {}
    member_sets = {panel: set(members) for panel, members in panel_members.items()}
    organisations = dict(Organisation.objects.values_list("ods_code", "id"))
    panel_for_service = panel_for_service or {}
    clinician_for_practice = clinician_for_practice or {}
    referral_columns = [f.column for f in Referral._meta.concrete_fields]
    patient_columns = [f.column for f in Patient._meta.concrete_fields]
    result = DemoWriteResult()
    now = timezone.now()
    today = timezone.localdate()
    with transaction.atomic(), connection.cursor() as cursor:
        patient_id = _next_id(Patient)
        referral_id = result.first_referral_id = _next_id(Referral)
        patient_ids: dict[str, int] = {}
        recent: deque[str] = deque()
        while True:
            patients, referrals, stories = [], [], []
            for row in _take(rows, chunk_size):
                if row["new_patient"]:
                    pid = patient_ids[row["nhs_number"]] = patient_id
                    # Memory flat in n: the generator only ever reuses a recent patient.
                    recent.append(row["nhs_number"])
                    if len(recent) > RECENT_PATIENTS:
                        del patient_ids[recent.popleft()]
                    patient_id += 1
                    patients.append(
                        {
                            "id": pid,
                            "uuid": uuid.UUID(int=rng.getrandbits(128), version=4),
                            "nhs_number": row["nhs_number"],
                            "family_name": row["family_name"],
                            "given_name": row["given_name"],
                            "date_of_birth": row["date_of_birth"],
                            "registered_practice_id": organisations[row["registered_practice"]],
                        }
                    )
                practice_id = organisations[row["registered_practice"]]
                provider_id = organisations[row["provider"]]
                category = row["category"] or None
                fields = queue_fields(
                    category=category, priority=row["priority"], clock_start=row["clock_start"]
                )
                panel_id = panel_for_service.get((provider_id, row["treatment_function"]))
                staff = reviewers.get(provider_id) or []
                reviewer = story_rng.choice(staff) if staff else None
                if panel_id in panel_members and story_rng.random() < 0.5:
                    reviewer = story_rng.choice(panel_members[panel_id])
                story = referral_story(
                    row,
                    rng=story_rng,
                    today=today,
                    now=now,
                    reviewer_id=reviewer,
                    panel_id=panel_id if reviewer in member_sets.get(panel_id, ()) else None,
                    booker_id=staff[0] if staff else None,
                )
                stories.append((referral_id, story))
                referrals.append(
                    {
                        **dict.fromkeys(referral_columns),
                        "id": referral_id,
                        "uuid": uuid.UUID(int=rng.getrandbits(128), version=4),
                        "ubrn": row["ubrn"],
                        "external_id": "",
                        "patient_id": patient_ids[row["nhs_number"]],
                        "referring_practice_id": practice_id,
                        # The patient's practice (the referrer is the patient's practice here).
                        "registered_practice_id": practice_id,
                        "referring_clinician_id": clinician_for_practice.get(practice_id),
                        "provider_id": provider_id,
                        "treatment_function_id": row["treatment_function"],
                        "priority": row["priority"],
                        "clock_start": row["clock_start"],
                        "reason": row["reason"],
                        "status": str(row["status"]),
                        "category": category,
                        "panel_id": panel_id,
                        "deferred": row["deferred"],
                        "contact_on": row["contact_on"],
                        "appointment_on": row["appointment_on"],
                        "appointments_booked": row["appointments_booked"],
                        "dna_count": row["dna_count"],
                        "awaiting_rebook": row["awaiting_rebook"],
                        "clock_restart_pending": row["clock_restart_pending"],
                        "version": story.version,
                        "created_at": story.events[0].at,
                        "updated_at": story.events[-1].at,
                        **fields,
                    }
                )
                referral_id += 1
            if not referrals:
                break
            _write_chunk(cursor, patients, patient_columns, referrals, referral_columns)
            _write_stories(cursor, stories, rng)
            result.patients += len(patients)
            result.referrals += len(referrals)
            if progress:
                progress(len(referrals))
        _reset_sequence(cursor, Patient)
        _reset_sequence(cursor, Referral)
    return result


def _take(rows: Iterator[dict], size: int) -> Iterator[dict]:
    for _ in range(size):
        try:
            yield next(rows)
        except StopIteration:
            return


def _write_chunk(cursor, patients, patient_columns, referrals, referral_columns) -> None:
    if connection.vendor == "postgresql":
        copy_rows(
            cursor,
            "directory_patient",
            patient_columns,
            ([p[c] for c in patient_columns] for p in patients),
        )
        copy_rows(
            cursor,
            "triage_referral",
            referral_columns,
            ([r[c] for c in referral_columns] for r in referrals),
        )
        return
    Patient.objects.bulk_create(Patient(**p) for p in patients)
    attnames = {f.column: f.attname for f in Referral._meta.concrete_fields}
    Referral.objects.bulk_create(
        Referral(**{attnames[c]: v for c, v in r.items()}) for r in referrals
    )


EVENT_COLUMNS = (
    "referral_id",
    "at",
    "actor_id",
    "kind",
    "from_status",
    "to_status",
    "clock_start_before",
    "clock_start_after",
    "note",
)
REVIEW_COLUMNS = (
    "uuid",
    "referral_id",
    "reviewer_id",
    "panel_id",
    "category",
    "outcome",
    "rationale",
    "referral_version",
    "created_at",
)


def _write_stories(cursor, stories: list[tuple[int, Story]], rng: random.Random) -> None:
    """The chunk's histories and reviews: COPY on PostgreSQL, INSERT on SQLite."""
    events = [
        (
            referral_id,
            e.at,
            e.actor_id,
            e.kind,
            e.from_status,
            e.to_status,
            e.clock_start_before,
            e.clock_start_after,
            e.note,
        )
        for referral_id, story in stories
        for e in story.events
    ]
    reviews = [
        (uuid.UUID(int=rng.getrandbits(128), version=4), referral_id, *story.review)
        for referral_id, story in stories
        if story.review is not None
    ]
    if connection.vendor == "postgresql":
        copy_rows(cursor, ReferralEvent._meta.db_table, EVENT_COLUMNS, events)
        copy_rows(cursor, Review._meta.db_table, REVIEW_COLUMNS, reviews)
        return
    # Not bulk_create: it would stamp the auto_now_add times ('at', 'created_at') with now.
    for model, columns, rows in (
        (ReferralEvent, EVENT_COLUMNS, events),
        (Review, REVIEW_COLUMNS, reviews),
    ):
        fields = [model._meta.get_field(c) for c in columns]
        cursor.executemany(
            f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) "  # noqa: S608
            f"VALUES ({', '.join(['%s'] * len(columns))})",
            [
                [f.get_db_prep_value(v, connection) for f, v in zip(fields, row, strict=True)]
                for row in rows
            ],
        )
