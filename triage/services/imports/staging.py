"""PTL import, pass 1: validate each row, streaming, and COPY it into a staging table; then
the checks that need the whole file, one SQL query each (see ``triage.services.imports``)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone

from core.csvimport import ImportRejected, RowError, csv_rows, open_text
from directory.models import PROVIDER_KINDS, Organisation
from directory.models import OrganisationKind as Kind
from directory.validators import nhs_number_check_digit, normalise_nhs_number
from triage.models import (
    DEFERRED_CATEGORIES,
    REVIEWED_CATEGORIES,
    Priority,
    TreatmentFunction,
)
from triage.rules import clock_start_errors, queue_fields
from triage.services.imports.pgcopy import copy_error_position, copy_rows

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
EXISTING = "triage_ptl_existing"

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

Progress = Callable[[str, int, int | None], None]

# Staging columns, in COPY order.
STAGING_COLUMNS = (
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


# Staging columns whose CSV column has another name.
_STAGING_TO_CSV = {
    "row_number": "*",
    "practice_id": "registered_practice",
    "provider_id": "provider",
    "treatment_function_id": "treatment_function",
}


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


class RowValidator:
    """Checks one row at a time; returns the staging tuple or records errors."""

    def __init__(self, directory: _Directory, today: date):
        self.directory = directory
        self.today = today
        self.contact_on = today + timedelta(days=PTL_DEFERRED_CONTACT_DAYS)
        self.errors: list[RowError] = []
        self.error_count = 0
        # The derived queue fields by (category, priority, clock start): a file has a few
        # thousand such triples in 200,000 rows, and the rule is worked out once for each.
        self._queue_fields: dict[tuple, dict] = {}

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
        return parsed

    def _date_of_birth(self, row: int, value: str) -> date | None:
        parsed = self._date(row, "date_of_birth", value, "date of birth")
        if parsed is not None and (parsed > self.today or parsed.year < 1900):
            when = "in the future" if parsed > self.today else "before 1900"
            self.error(row, "date_of_birth", f"date of birth {parsed:%d %b %Y} is {when}")
            return None
        return parsed

    def _clock_start(self, row: int, value: str, date_of_birth: date | None) -> date | None:
        # The same rule as a referral made in the API or the browser (docs/product.md §2).
        parsed = self._date(row, "clock_start", value, "clock start")
        if parsed is None:
            return None
        problems = clock_start_errors(
            clock_start=parsed, date_of_birth=date_of_birth, today=self.today
        )
        for problem in problems:
            self.error(row, "clock_start", problem)
        return None if problems else parsed

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
        date_of_birth = self._date_of_birth(row, r["date_of_birth"])
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
        clock_start = self._clock_start(row, r["clock_start"], date_of_birth)
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
        key = (category, priority, clock_start)
        fields = self._queue_fields.get(key)
        if fields is None:
            fields = self._queue_fields[key] = queue_fields(
                category=category, priority=priority, clock_start=clock_start
            )
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


def create_staging(cursor) -> None:
    columns = ", ".join(f"{name} {kind}" for name, kind in STAGING_COLUMNS)
    for table in (STAGING, RESULT, PATIENT_RESULT, EXISTING):
        cursor.execute(f"DROP TABLE IF EXISTS {table}")
    on_commit = " ON COMMIT DROP" if connection.vendor == "postgresql" else ""
    cursor.execute(f"CREATE TEMP TABLE {STAGING} ({columns}){on_commit}")


def stage_rows(cursor, rows: list[tuple]) -> None:
    """Add validated rows (``row_number`` first) to the staging table. Should PostgreSQL still
    refuse one, the file is rejected naming that row and column, never with a traceback."""
    names = [name for name, _ in STAGING_COLUMNS]
    if connection.vendor == "postgresql":
        try:
            copy_rows(cursor, STAGING, names, rows)
        except connection.Database.DataError as exc:
            line, column = copy_error_position(exc) or (1, "")
            row = rows[min(line, len(rows)) - 1][0]
            message = f"cannot be stored: {exc.diag.message_primary}"
            error = RowError(row, _STAGING_TO_CSV.get(column, column) or "*", message)
            raise ImportRejected([error]) from exc
    else:
        marks = ", ".join(["%s"] * len(names))
        cursor.executemany(
            f"INSERT INTO {STAGING} ({', '.join(names)}) VALUES ({marks})",  # noqa: S608
            rows,
        )


def whole_file_errors(cursor) -> list[RowError]:
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
    # One sort: each row beside the first row of its NHS number.
    cursor.execute(
        f"""
        SELECT row_number, nhs_number, first_row FROM (
            SELECT row_number, nhs_number, date_of_birth,
                   FIRST_VALUE(row_number) OVER first AS first_row,
                   FIRST_VALUE(date_of_birth) OVER first AS first_date_of_birth
            FROM {STAGING}
            WINDOW first AS (PARTITION BY nhs_number ORDER BY row_number)) AS s
        WHERE date_of_birth <> first_date_of_birth
        ORDER BY row_number LIMIT {MAX_LISTED_ERRORS}
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


def validate_and_stage(path, cursor, progress: Progress | None) -> tuple[int, RowValidator]:
    validator = RowValidator(_Directory.load(), timezone.localdate())
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
                    stage_rows(cursor, chunk)
                    chunk = []
                if progress:
                    progress("validate", total, None)
        if chunk and not validator.error_count:
            stage_rows(cursor, chunk)
    if progress:
        progress("validate", total, total)
    return total, validator
