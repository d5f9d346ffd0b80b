"""Patient tracking list (PTL) import: all or nothing, upsert by UBRN (docs/product.md §8).

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
   created or changed referral and patient gets an audit event (client "command", the user who
   ran the import as its actor). Then the affected providers' queues are recomputed.

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

from functools import partial
from pathlib import Path

from django.db import connection, transaction

from audit.models import AuditEvent
from core.csvimport import ImportRejected, RowError
from core.db import analyze_outdated
from directory.models import Patient
from triage.models import Referral, ReferralEvent
from triage.services.imports.orm import write_orm
from triage.services.imports.postgresql import write_postgresql
from triage.services.imports.staging import (
    PTL_COLUMNS,
    PTL_DEFERRED_CONTACT_DAYS,
    STAGING,
    Progress,
    copy_rows,
    create_staging,
    validate_and_stage,
    whole_file_errors,
)
from triage.services.queue import queue_recompute, queue_recompute_on_commit

__all__ = ["PTL_COLUMNS", "PTL_DEFERRED_CONTACT_DAYS", "copy_rows", "referral_import_csv"]

WRITE_COUNTS = ("created", "updated", "patients_created", "patients_updated")


def _written(counts: dict) -> dict[str, int]:
    """Rows the import changed, per table it writes (events: two per new referral, and at
    most one per changed one; audit: one per patient and referral changed)."""
    referrals = counts["created"] + counts["updated"]
    patients = counts["patients_created"] + counts["patients_updated"]
    return {
        Referral._meta.db_table: referrals,
        Patient._meta.db_table: patients,
        ReferralEvent._meta.db_table: 2 * counts["created"] + counts["updated"],
        AuditEvent._meta.db_table: referrals + patients,
    }


def referral_import_csv(
    *,
    path: str | Path,
    actor,
    progress: Progress | None = None,
    defer_recompute: bool = False,
) -> dict:
    """Import a PTL extract; all or nothing. Returns counts of what changed.

    ``actor``: the user running the import, recorded on every audit event it writes
    (docs/product.md §1: who changed which patient's data).

    New referrals carry their target dates, so they take their place in queue order at once;
    the stored positions and backlog counts follow from the recomputation, run here, or with
    ``defer_recompute`` queued to the Celery worker (one task per provider) for large loads.

    Raises :class:`ImportRejected` naming each bad row and column, and ``FileNotFoundError``
    for a missing file. ``progress(stage, done, total)`` is called as the work advances.
    """
    if not Path(path).is_file():
        raise FileNotFoundError(path)
    with transaction.atomic(), connection.cursor() as cursor:
        create_staging(cursor)
        total, validator = validate_and_stage(path, cursor, progress)
        errors = list(validator.errors)
        if not validator.error_count:
            errors += whole_file_errors(cursor)
        if errors or validator.error_count:
            more = validator.error_count - len(validator.errors)
            errors.sort(key=lambda e: (e.row, PTL_COLUMNS.index(e.column)))
            if more > 0:
                errors.append(RowError(total + 1, "*", f"and {more} more problem(s) not listed"))
            raise ImportRejected(errors)
        if progress:
            progress("write", 0, None)
        if connection.vendor == "postgresql":
            counts = write_postgresql(cursor, path=str(path), actor=actor)
        else:
            counts = write_orm(cursor, path=str(path), actor=actor)
        if progress:
            progress("write", total, total)
        cursor.execute(f"DROP TABLE IF EXISTS {STAGING}")
        if any(counts.get(key) for key in WRITE_COUNTS):
            # Fresh planner statistics for the tables the write outdated, once the import has
            # committed (a rejected import leaves nothing to analyse, and the import stays all
            # or nothing): on tables never analysed a filtered queue took 22.5 s. Before the
            # recomputation below, whose set-based SQL reads the new rows. A small file into
            # big tables changes their statistics too little to pay for an ANALYZE.
            transaction.on_commit(partial(analyze_outdated, _written(counts)))
    counts["rows"] = total
    counts["unchanged"] = total - counts["created"] - counts["updated"]
    providers = counts.pop("provider_ids")
    if defer_recompute:
        for provider_id in providers:
            queue_recompute_on_commit(provider_id)
        counts["providers_recomputed"] = 0
        counts["providers_queued"] = len(providers)
        counts["positions_updated"] = 0
        return counts
    recompute = queue_recompute(
        provider_ids=providers,
        progress=(lambda done, of: progress("recompute", done, of)) if progress else None,
    )
    counts["providers_recomputed"] = recompute.providers
    counts["positions_updated"] = recompute.positions_updated
    return counts
