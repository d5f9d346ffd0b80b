"""Patient tracking list (PTL) import: all or nothing, upsert by UBRN (PRODUCT.md §8).

Two passes, memory flat in the size of the file:

1. **Validate, streaming.** Each row is checked on its own (formats, dates, codes looked up in
   a small in-memory directory of organisations and treatment functions) and, normalised, is
   copied in chunks into a temporary staging table. Checks that need the whole file (a UBRN that
   appears twice, one NHS number with two dates of birth) are then one SQL query each over the
   staging table. Any error rejects the file: nothing is written outside the staging table, and
   the transaction is rolled back.
2. **Write, set-based.** Patients are upserted by NHS number and referrals by UBRN, writing only
   rows whose values change, so importing the same file again changes nothing. New referrals get
   their 'created' and 'clock' history events; a changed clock start gets a 'clock' event; every
   created or changed referral and patient gets an audit event (client "command"). Then the
   affected providers' queues are recomputed.

On PostgreSQL the staging table is filled with COPY and the writes are
``INSERT … ON CONFLICT … DO UPDATE … WHERE (changed)``; on SQLite (local development) the same
staging table is filled with ``executemany`` and written with ``bulk_create(update_conflicts=True)``.

Choices (see docs/data.md):

- ``category`` empty: a referral not yet clinically reviewed; it arrives ``awaiting_review`` with
  the provisional category of its priority. A reviewed category (P1a–P4) means the provider has
  already prioritised it: a new referral arrives ``accepted``.
- ``P5``/``P6`` (the patient chose to wait) are accepted, not rejected: the referral arrives
  ``accepted`` and deferred, shown apart from the queue, with a contact date
  ``PTL_DEFERRED_CONTACT_DAYS`` days after the import. Re-importing keeps the contact date
  already set.
- On re-import the file wins for the pathway fields (patient, practice, provider, treatment
  function, priority, clock start, reason) and for a category it gives; an empty category
  leaves a category recorded in Interface alone. Status is Interface's own and never changed.
"""

from __future__ import annotations

import io
import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from interface.csvimport import ImportRejected, RowError, csv_rows, open_text
from interface.models import AuditAction, AuditClient, AuditEvent, Organisation, Patient
from interface.models import OrganisationKind as Kind
from interface.validators import nhs_number_check_digit, normalise_nhs_number
from triage.models import (
    DEFERRED_CATEGORIES,
    REVIEWED_CATEGORIES,
    EventKind,
    Priority,
    Referral,
    ReferralEvent,
    Status,
    TreatmentFunction,
)
from triage.queue import queue_recompute
from triage.services.referrals import PROVIDER_KINDS, queue_fields
from triage.tasks import queue_recompute_provider_task

PTL_COLUMNS = (
    "ubrn",
    "nhs_number",
    "family_name",
    "given_name",
    "date_of_birth",
    "registered_practice",
    "provider",
    "treatment_function",
    "priority",
    "clock_start",
    "category",
    "reason",
)
CHUNK_ROWS = 10_000
# Errors listed in full; beyond this the import still counts them but stops keeping each one.
MAX_LISTED_ERRORS = 1_000
# A patient who chose to wait (P5/P6) is contacted again after this many days (13 weeks,
# the interval of the harm-review cycle) unless a local setting says otherwise.
PTL_DEFERRED_CONTACT_DAYS = getattr(settings, "TRIAGE_DEFERRED_CONTACT_DAYS", 91)
STAGING = "triage_ptl_staging"
RESULT = "triage_ptl_result"
PATIENT_RESULT = "triage_ptl_patient_result"

_UK_DATE_RE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_UBRN_RE = re.compile(r"^[0-9]{12}$")
_PRIORITY_ALIASES = {
    "routine": Priority.ROUTINE,
    "urgent": Priority.URGENT,
    "two_week_wait": Priority.TWO_WEEK_WAIT,
    "2ww": Priority.TWO_WEEK_WAIT,
    "two week wait": Priority.TWO_WEEK_WAIT,
    "two-week wait": Priority.TWO_WEEK_WAIT,
}
_CATEGORIES = {c.lower(): c for c in REVIEWED_CATEGORIES}
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})

Progress = Callable[[str, int, int | None], None]

# Staging columns, in COPY order.
_STAGING_COLUMNS = (
    ("row_number", "integer"),
    ("ubrn", "varchar(12)"),
    ("nhs_number", "varchar(10)"),
    ("family_name", "varchar(100)"),
    ("given_name", "varchar(100)"),
    ("date_of_birth", "date"),
    ("practice_id", "bigint"),
    ("provider_id", "bigint"),
    ("treatment_function_id", "varchar(3)"),
    ("priority", "varchar(16)"),
    ("clock_start", "date"),
    ("category", "varchar(3)"),
    ("reason", "text"),
    ("effective_category", "varchar(3)"),
    ("urgency_rank", "smallint"),
    ("target_date", "date"),
    ("deferred", "boolean"),
    ("contact_on", "date"),
)


@dataclass
class _Directory:
    """The few reference rows every PTL row is checked against, loaded once."""

    organisations: dict[str, tuple[int, str]]
    treatment_functions: frozenset[str]

    @classmethod
    def load(cls) -> _Directory:
        return cls(
            organisations={
                code: (pk, kind)
                for code, pk, kind in Organisation.objects.values_list("ods_code", "id", "kind")
            },
            treatment_functions=frozenset(TreatmentFunction.objects.values_list("code", flat=True)),
        )


def _parse_date(value: str) -> date | None:
    """ISO dates (2026-03-31), or the UK form spreadsheets write (31/03/2026)."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        pass
    match = _UK_DATE_RE.match(value)
    if match:
        day, month, year = (int(part) for part in match.groups())
        try:
            return date(year, month, day)
        except ValueError:
            return None
    return None


def _nhs_number(value: str) -> str | None:
    digits = value if len(value) == 10 and value.isdigit() else normalise_nhs_number(value)
    if len(digits) != 10 or not digits.isdigit() or not digits.isascii():
        return None
    if nhs_number_check_digit(digits[:9]) != int(digits[9]):
        return None
    return digits


class _RowValidator:
    """Checks one row at a time; returns the staging tuple or records errors."""

    def __init__(self, directory: _Directory, today: date):
        self.directory = directory
        self.today = today
        self.contact_on = today + timedelta(days=PTL_DEFERRED_CONTACT_DAYS)
        self.errors: list[RowError] = []
        self.error_count = 0

    def error(self, row: int, column: str, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_LISTED_ERRORS:
            self.errors.append(RowError(row, column, message))

    def _organisation(
        self, row: int, column: str, code: str, kinds: Iterable[str], what: str
    ) -> int | None:
        if not code:
            self.error(row, column, "an ODS code is required")
            return None
        found = self.directory.organisations.get(code.upper())
        if found is None:
            self.error(row, column, f"no organisation with ODS code {code}")
            return None
        if found[1] not in kinds:
            self.error(row, column, f"{code.upper()} is not {what}")
            return None
        return found[0]

    def _date(self, row: int, column: str, value: str, what: str) -> date | None:
        if not value:
            self.error(row, column, f"{what} is required")
            return None
        parsed = _parse_date(value)
        if parsed is None:
            self.error(row, column, f"'{value}' is not a date (use YYYY-MM-DD)")
            return None
        if parsed > self.today:
            self.error(row, column, f"{what} {parsed:%d %b %Y} is in the future")
            return None
        if parsed.year < 1900:
            self.error(row, column, f"{what} {parsed:%d %b %Y} is before 1900")
            return None
        return parsed

    def validate(self, row: int, r: dict[str, str]) -> tuple | None:
        before = self.error_count
        ubrn = r["ubrn"]
        if not ubrn:
            self.error(row, "ubrn", "a UBRN is required")
        elif not _UBRN_RE.match(ubrn):
            self.error(row, "ubrn", f"'{ubrn}' is not a UBRN of 12 digits")
        nhs = r["nhs_number"]
        digits = _nhs_number(nhs) if nhs else None
        if not nhs:
            self.error(row, "nhs_number", "an NHS number is required")
        elif digits is None:
            self.error(
                row,
                "nhs_number",
                f"'{nhs}' is not a valid NHS number (10 digits with a Modulus 11 check digit)",
            )
        for column in ("family_name", "given_name"):
            if not r[column]:
                self.error(row, column, "a name is required")
            elif len(r[column]) > 100:
                self.error(row, column, "longer than 100 characters")
        date_of_birth = self._date(row, "date_of_birth", r["date_of_birth"], "date of birth")
        practice_id = self._organisation(
            row,
            "registered_practice",
            r["registered_practice"],
            (Kind.GP_PRACTICE,),
            "a GP practice",
        )
        provider_id = self._organisation(
            row, "provider", r["provider"], PROVIDER_KINDS, "a trust or community provider"
        )
        function = r["treatment_function"]
        if not function:
            self.error(row, "treatment_function", "a treatment function code is required")
        elif function not in self.directory.treatment_functions:
            self.error(row, "treatment_function", f"unknown treatment function code '{function}'")
        priority = _PRIORITY_ALIASES.get(r["priority"].lower())
        if priority is None:
            self.error(
                row,
                "priority",
                f"'{r['priority']}' is not one of {', '.join(Priority.values)}"
                if r["priority"]
                else "a priority is required",
            )
        clock_start = self._date(row, "clock_start", r["clock_start"], "clock start")
        category = None
        if r["category"]:
            category = _CATEGORIES.get(r["category"].lower())
            if category is None:
                hint = (
                    " (2WW is only ever provisional: leave category empty and give priority"
                    " two_week_wait)"
                    if r["category"].upper() == "2WW"
                    else ""
                )
                self.error(
                    row,
                    "category",
                    f"'{r['category']}' is not one of {', '.join(REVIEWED_CATEGORIES)} "
                    f"or empty{hint}",
                )
        if self.error_count != before:
            return None
        deferred = category in DEFERRED_CATEGORIES
        fields = queue_fields(category=category, priority=priority, clock_start=clock_start)
        return (
            row,
            ubrn,
            digits,
            r["family_name"],
            r["given_name"],
            date_of_birth,
            practice_id,
            provider_id,
            function,
            str(priority),
            clock_start,
            category,
            r["reason"],
            fields["effective_category"],
            fields["urgency_rank"],
            fields["target_date"],
            deferred,
            self.contact_on if deferred else None,
        )


def _copy_value(value) -> str:
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES)
    return str(value)


def copy_rows(cursor, table: str, columns: Iterable[str], rows: Iterable[tuple]) -> None:
    """PostgreSQL COPY of Python tuples (text format), one buffer per call."""
    buffer = io.StringIO()
    buffer.writelines("\t".join(map(_copy_value, row)) + "\n" for row in rows)
    buffer.seek(0)
    cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)


def _create_staging(cursor) -> None:
    columns = ", ".join(f"{name} {kind}" for name, kind in _STAGING_COLUMNS)
    for table in (STAGING, RESULT, PATIENT_RESULT):
        cursor.execute(f"DROP TABLE IF EXISTS {table}")
    on_commit = " ON COMMIT DROP" if connection.vendor == "postgresql" else ""
    cursor.execute(f"CREATE TEMP TABLE {STAGING} ({columns}){on_commit}")


def _stage(cursor, rows: list[tuple]) -> None:
    names = [name for name, _ in _STAGING_COLUMNS]
    if connection.vendor == "postgresql":
        copy_rows(cursor, STAGING, names, rows)
    else:
        marks = ", ".join(["%s"] * len(names))
        cursor.executemany(
            f"INSERT INTO {STAGING} ({', '.join(names)}) VALUES ({marks})",  # noqa: S608
            rows,
        )


def _whole_file_errors(cursor) -> list[RowError]:
    """Checks across rows, as SQL over the staging table."""
    errors: list[RowError] = []
    cursor.execute(
        f"""
        SELECT row_number, ubrn, first_row FROM (
            SELECT row_number, ubrn,
                   MIN(row_number) OVER (PARTITION BY ubrn) AS first_row
            FROM {STAGING}) AS s
        WHERE row_number <> first_row ORDER BY row_number LIMIT {MAX_LISTED_ERRORS}
        """  # noqa: S608
    )
    errors += [
        RowError(row, "ubrn", f"UBRN {ubrn} appears again (first on row {first})")
        for row, ubrn, first in cursor.fetchall()
    ]
    cursor.execute(
        f"""
        SELECT s.row_number, s.nhs_number, f.row_number FROM {STAGING} s
        JOIN (SELECT nhs_number, MIN(row_number) AS row_number FROM {STAGING}
              GROUP BY nhs_number) AS firsts ON firsts.nhs_number = s.nhs_number
        JOIN {STAGING} f ON f.row_number = firsts.row_number
        WHERE s.date_of_birth <> f.date_of_birth
        ORDER BY s.row_number LIMIT {MAX_LISTED_ERRORS}
        """  # noqa: S608
    )
    errors += [
        RowError(
            row,
            "date_of_birth",
            f"NHS number {nhs} has a different date of birth on row {first}",
        )
        for row, nhs, first in cursor.fetchall()
    ]
    return errors


def _validate_and_stage(path, cursor, progress: Progress | None) -> tuple[int, _RowValidator]:
    validator = _RowValidator(_Directory.load(), timezone.localdate())
    chunk: list[tuple] = []
    total = 0
    with open_text(path) as handle:
        for row_number, record in csv_rows(handle, PTL_COLUMNS):
            total += 1
            staged = validator.validate(row_number, record)
            # After the first error only validation goes on: the file will be rejected.
            if staged is not None and not validator.error_count:
                chunk.append(staged)
            if len(chunk) >= CHUNK_ROWS or (total % CHUNK_ROWS == 0):
                if chunk:
                    _stage(cursor, chunk)
                    chunk = []
                if progress:
                    progress("validate", total, None)
        if chunk and not validator.error_count:
            _stage(cursor, chunk)
    if progress:
        progress("validate", total, total)
    return total, validator


def referral_import_csv(
    *, path: str | Path, progress: Progress | None = None, defer_recompute: bool = False
) -> dict:
    """Import a PTL extract; all or nothing. Returns counts of what changed.

    New referrals carry their target dates, so they take their place in queue order at once;
    the stored positions and backlog counts follow from the recomputation, run here, or with
    ``defer_recompute`` queued to the Celery worker (one task per provider) for large loads.

    Raises :class:`ImportRejected` naming each bad row and column, and ``FileNotFoundError``
    for a missing file. ``progress(stage, done, total)`` is called as the work advances.
    """
    if not Path(path).is_file():
        raise FileNotFoundError(path)
    with transaction.atomic(), connection.cursor() as cursor:
        _create_staging(cursor)
        total, validator = _validate_and_stage(path, cursor, progress)
        errors = list(validator.errors)
        if not validator.error_count:
            errors += _whole_file_errors(cursor)
        if errors or validator.error_count:
            more = validator.error_count - len(validator.errors)
            errors.sort(key=lambda e: (e.row, PTL_COLUMNS.index(e.column)))
            if more > 0:
                errors.append(RowError(total + 1, "*", f"and {more} more problem(s) not listed"))
            raise ImportRejected(errors)
        if progress:
            progress("write", 0, None)
        if connection.vendor == "postgresql":
            counts = _write_postgresql(cursor, path=str(path))
        else:
            counts = _write_orm(cursor, path=str(path))
        if progress:
            progress("write", total, total)
        cursor.execute(f"DROP TABLE IF EXISTS {STAGING}")
    counts["rows"] = total
    counts["unchanged"] = total - counts["created"] - counts["updated"]
    providers = counts.pop("provider_ids")
    if defer_recompute:
        for provider_id in providers:
            queue_recompute_provider_task.delay(provider_id)
        counts["providers_recomputed"] = 0
        counts["providers_queued"] = len(providers)
        counts["positions_updated"] = 0
        return counts
    done = 0

    def recompute_progress(advance: int) -> None:
        nonlocal done
        done += advance
        progress("recompute", done, len(providers))

    recompute = queue_recompute(
        provider_ids=providers, progress=recompute_progress if progress else None
    )
    counts["providers_recomputed"] = recompute.providers
    counts["positions_updated"] = recompute.positions_updated
    return counts


# PostgreSQL: one statement per step over the whole staging table.

_REFERRAL_NEW = {
    # column: value for a new row (in terms of the staging row ``s`` and its patient ``p``)
    "uuid": "gen_random_uuid()",
    "ubrn": "s.ubrn",
    "external_id": "''",
    "patient_id": "p.id",
    "referring_practice_id": "s.practice_id",
    "provider_id": "s.provider_id",
    "treatment_function_id": "s.treatment_function_id",
    "priority": "s.priority",
    "clock_start": "s.clock_start",
    "reason": "s.reason",
    "status": f"CASE WHEN s.category IS NULL THEN '{Status.AWAITING_REVIEW}' "
    f"ELSE '{Status.ACCEPTED}' END",
    "category": "s.category",
    "deferred": "s.deferred",
    "contact_on": "s.contact_on",
    "appointments_booked": "0",
    "dna_count": "0",
    "awaiting_rebook": "false",
    "clock_restart_pending": "false",
    "effective_category": "s.effective_category",
    "urgency_rank": "s.urgency_rank",
    "target_date": "s.target_date",
    "version": "1",
    "created_at": "now()",
    "updated_at": "now()",
}
# On conflict: the value to keep, in terms of the existing row ``r`` and the new one ``e``.
_KEEP_REVIEWED = "e.category IS NULL AND r.category IS NOT NULL"
_REFERRAL_UPDATE = {
    "patient_id": "e.patient_id",
    "referring_practice_id": "e.referring_practice_id",
    "provider_id": "e.provider_id",
    "treatment_function_id": "e.treatment_function_id",
    "priority": "e.priority",
    "clock_start": "e.clock_start",
    "reason": "e.reason",
    "category": "COALESCE(e.category, r.category)",
    "deferred": f"CASE WHEN {_KEEP_REVIEWED} THEN r.deferred ELSE e.deferred END",
    "contact_on": f"CASE WHEN {_KEEP_REVIEWED} THEN r.contact_on "
    "WHEN e.deferred AND r.deferred THEN COALESCE(r.contact_on, e.contact_on) "
    "ELSE e.contact_on END",
}
_REFERRAL_DERIVED = {
    "effective_category": f"CASE WHEN {_KEEP_REVIEWED} THEN r.effective_category "
    "ELSE e.effective_category END",
    "urgency_rank": f"CASE WHEN {_KEEP_REVIEWED} THEN r.urgency_rank ELSE e.urgency_rank END",
    "target_date": f"CASE WHEN {_KEEP_REVIEWED} THEN r.target_date ELSE e.target_date END",
    "version": "r.version + 1",
    "updated_at": "now()",
}


def _upsert_referrals_sql() -> str:
    def aliased(expr: str) -> str:
        return re.sub(r"\br\.", "triage_referral.", re.sub(r"\be\.", "EXCLUDED.", expr))

    columns = ", ".join(_REFERRAL_NEW)
    values = ", ".join(_REFERRAL_NEW.values())
    sets = ", ".join(
        f"{column} = {aliased(expr)}"
        for column, expr in {**_REFERRAL_UPDATE, **_REFERRAL_DERIVED}.items()
    )
    current = ", ".join(f"triage_referral.{column}" for column in _REFERRAL_UPDATE)
    proposed = ", ".join(aliased(expr) for expr in _REFERRAL_UPDATE.values())
    return f"""
        WITH up AS (
            INSERT INTO triage_referral ({columns})
            SELECT {values} FROM {STAGING} s
            JOIN interface_patient p ON p.nhs_number = s.nhs_number
            ON CONFLICT (ubrn) DO UPDATE SET {sets}
            WHERE ({current}) IS DISTINCT FROM ({proposed})
            RETURNING id, uuid, patient_id, provider_id, clock_start, status, (xmax = 0) AS inserted
        )
        INSERT INTO {RESULT} SELECT * FROM up
    """  # noqa: S608


_PATIENT_FIELDS = ("family_name", "given_name", "date_of_birth", "registered_practice_id")


def _upsert_patients_sql() -> str:
    sets = ", ".join(f"{f} = EXCLUDED.{f}" for f in _PATIENT_FIELDS)
    current = ", ".join(f"interface_patient.{f}" for f in _PATIENT_FIELDS)
    proposed = ", ".join(f"EXCLUDED.{f}" for f in _PATIENT_FIELDS)
    # One row per NHS number: the last row of the file for that patient wins.
    return f"""
        WITH up AS (
            INSERT INTO interface_patient (uuid, nhs_number, {", ".join(_PATIENT_FIELDS)})
            SELECT DISTINCT ON (nhs_number) gen_random_uuid(), nhs_number, family_name,
                   given_name, date_of_birth, practice_id
            FROM {STAGING} ORDER BY nhs_number, row_number DESC
            ON CONFLICT (nhs_number) DO UPDATE SET {sets}
            WHERE ({current}) IS DISTINCT FROM ({proposed})
            RETURNING id, uuid, (xmax = 0) AS inserted
        )
        INSERT INTO {PATIENT_RESULT} SELECT * FROM up
    """  # noqa: S608


def _audit_sql(source: str, object_type: str, patient_column: str, detail: str) -> str:
    return f"""
        INSERT INTO interface_auditevent (at, user_id, patient_id, action, client, object_type,
            object_id, ip_address, user_agent, detail)
        SELECT now(), NULL, {patient_column},
               CASE WHEN inserted THEN '{AuditAction.CREATE}' ELSE '{AuditAction.UPDATE}' END,
               '{AuditClient.COMMAND}', '{object_type}', uuid::text, NULL, '', %s
        FROM {source} ORDER BY id
    """  # noqa: S608


def _event_sql(where: str) -> str:
    return f"""
        INSERT INTO triage_referralevent (referral_id, at, actor_id, kind, from_status, to_status,
            clock_start_before, clock_start_after, note)
        {where}
    """


def _write_postgresql(cursor, *, path: str) -> dict:
    detail = f"PTL import {Path(path).name}"[:300]
    cursor.execute(f"CREATE INDEX ON {STAGING} (ubrn)")
    cursor.execute(f"ANALYZE {STAGING}")
    cursor.execute(
        f"CREATE TEMP TABLE {RESULT} (id bigint, uuid uuid, patient_id bigint, "
        "provider_id bigint, clock_start date, status varchar(24), inserted boolean) "
        "ON COMMIT DROP"
    )
    cursor.execute(
        f"CREATE TEMP TABLE {PATIENT_RESULT} (id bigint, uuid uuid, inserted boolean) "
        "ON COMMIT DROP"
    )
    cursor.execute(_upsert_patients_sql())
    cursor.execute(_audit_sql(PATIENT_RESULT, "patient", "id", detail), [detail])
    # Providers a referral leaves (its queue shrinks) and clock starts the file changes, read
    # before the upsert overwrites them.
    cursor.execute(
        f"""SELECT DISTINCT r.provider_id FROM {STAGING} s
            JOIN triage_referral r ON r.ubrn = s.ubrn WHERE r.provider_id <> s.provider_id"""  # noqa: S608
    )
    left = [row[0] for row in cursor.fetchall()]
    cursor.execute(
        _event_sql(
            f"""SELECT r.id, now(), NULL, '{EventKind.CLOCK}', '', '', r.clock_start,
                   s.clock_start, 'RTT clock start changed by the patient tracking list'
            FROM {STAGING} s JOIN triage_referral r ON r.ubrn = s.ubrn
            WHERE r.clock_start <> s.clock_start ORDER BY r.id"""  # noqa: S608
        )
    )
    cursor.execute(_upsert_referrals_sql())
    cursor.execute(
        _event_sql(
            f"""SELECT id, now(), NULL, kind, '', CASE kind WHEN '{EventKind.CREATED}'
                   THEN status ELSE '' END, NULL,
                   CASE kind WHEN '{EventKind.CLOCK}' THEN clock_start END,
                   CASE kind WHEN '{EventKind.CLOCK}' THEN 'RTT clock started' ELSE '' END
            FROM {RESULT}, (VALUES ('{EventKind.CREATED}'), ('{EventKind.CLOCK}')) AS k (kind)
            WHERE inserted ORDER BY id, kind DESC"""  # noqa: S608
        )
    )
    cursor.execute(_audit_sql(RESULT, "referral", "patient_id", detail), [detail])
    cursor.execute(
        f"""SELECT COUNT(*) FILTER (WHERE inserted), COUNT(*) FILTER (WHERE NOT inserted),
               COALESCE(array_agg(DISTINCT provider_id), '{{}}') FROM {RESULT}"""  # noqa: S608
    )
    created, updated, providers = cursor.fetchone()
    count_sql = "SELECT COUNT(*) FILTER (WHERE inserted), COUNT(*) FILTER (WHERE NOT inserted)"
    cursor.execute(f"{count_sql} FROM {PATIENT_RESULT}")
    patients_created, patients_updated = cursor.fetchone()
    return {
        "created": created,
        "updated": updated,
        "patients_created": patients_created,
        "patients_updated": patients_updated,
        "provider_ids": sorted(set(providers) | set(left)),
    }


# SQLite (local development): the same rules through the ORM, chunk by chunk.


def _write_orm(cursor, *, path: str) -> dict:
    detail = f"PTL import {Path(path).name}"[:300]
    names = [name for name, _ in _STAGING_COLUMNS]
    counts = {"created": 0, "updated": 0, "patients_created": 0, "patients_updated": 0}
    providers: set[int] = set()
    # Patients first, the last row of the file for each NHS number winning.
    cursor.execute(
        f"SELECT nhs_number, family_name, given_name, date_of_birth, practice_id "  # noqa: S608
        f"FROM {STAGING} s WHERE row_number = (SELECT MAX(row_number) FROM {STAGING} t "
        f"WHERE t.nhs_number = s.nhs_number) ORDER BY row_number"
    )
    while batch := cursor.fetchmany(CHUNK_ROWS):
        _orm_patients(batch, counts, detail)
    cursor.execute(f"SELECT {', '.join(names)} FROM {STAGING} ORDER BY row_number")  # noqa: S608
    while batch := cursor.fetchmany(CHUNK_ROWS):
        rows = [dict(zip(names, row, strict=True)) for row in batch]
        _orm_referrals(rows, counts, providers, detail)
    counts["provider_ids"] = sorted(providers)
    return counts


def _as_date(value) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else value


def _orm_patients(batch, counts: dict, detail: str) -> None:
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
    AuditEvent.objects.bulk_create(
        AuditEvent(
            patient_id=ids[p.nhs_number],
            action=action,
            client=AuditClient.COMMAND,
            object_type="patient",
            object_id=str(p.uuid),
            detail=detail,
        )
        for p, action in audits
    )


# The fields a PTL row sets (the same as the SQL upsert's), and the derived queue fields.
_COMPARED = tuple(_REFERRAL_UPDATE)
_QUEUE_FIELDS = ("effective_category", "urgency_rank", "target_date")
_KEPT_WHEN_REVIEWED = ("category", "deferred", "contact_on", *_QUEUE_FIELDS)
_ORM_UPDATE_FIELDS = [
    *(name.removesuffix("_id") for name in _COMPARED),
    *_REFERRAL_DERIVED,
]


def _orm_referrals(rows: list[dict], counts: dict, providers: set[int], detail: str) -> None:
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
    AuditEvent.objects.bulk_create(
        AuditEvent(
            patient_id=referral.patient_id,
            action=action,
            client=AuditClient.COMMAND,
            object_type="referral",
            object_id=str(referral.uuid),
            detail=detail,
        )
        for group, action in ((created, AuditAction.CREATE), (updated, AuditAction.UPDATE))
        for referral in group
    )
    counts["created"] += len(created)
    counts["updated"] += len(updated)
    providers.update(r.provider_id for r in write)
