"""PTL import, pass 2 on PostgreSQL: one set-based statement per step over the staging table."""

from __future__ import annotations

import re
from pathlib import Path

from audit.models import AuditAction, AuditClient
from triage.models import (
    EventKind,
    Status,
)
from triage.services.imports.staging import (
    EXISTING,
    PATIENT_RESULT,
    RESULT,
    STAGING,
)

# PostgreSQL: one statement per step over the whole staging table.

_REFERRAL_NEW = {
    # column: value for a new row (in terms of the staging row ``s`` and its patient ``p``)
    "uuid": "gen_random_uuid()",
    "ubrn": "s.ubrn",
    "external_id": "''",
    "patient_id": "p.id",
    "referring_practice_id": "s.practice_id",
    # The patient's practice as just upserted (the last row of the file for that patient),
    # named so that the database's copy trigger has nothing to look up (triage migration 0011).
    "registered_practice_id": "p.registered_practice_id",
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
REFERRAL_UPDATE = {
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
REFERRAL_DERIVED = {
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
        for column, expr in {**REFERRAL_UPDATE, **REFERRAL_DERIVED}.items()
    )
    current = ", ".join(f"triage_referral.{column}" for column in REFERRAL_UPDATE)
    proposed = ", ".join(aliased(expr) for expr in REFERRAL_UPDATE.values())
    return f"""
        WITH up AS (
            INSERT INTO triage_referral ({columns})
            SELECT {values} FROM {STAGING} s
            JOIN directory_patient p ON p.nhs_number = s.nhs_number
            ON CONFLICT (ubrn) DO UPDATE SET {sets}
            WHERE ({current}) IS DISTINCT FROM ({proposed})
            RETURNING id, uuid, patient_id, provider_id, clock_start, status, (xmax = 0) AS inserted
        )
        INSERT INTO {RESULT} SELECT * FROM up
    """  # noqa: S608


_PATIENT_FIELDS = ("family_name", "given_name", "date_of_birth", "registered_practice_id")


def _upsert_patients_sql() -> str:
    sets = ", ".join(f"{f} = EXCLUDED.{f}" for f in _PATIENT_FIELDS)
    current = ", ".join(f"directory_patient.{f}" for f in _PATIENT_FIELDS)
    proposed = ", ".join(f"EXCLUDED.{f}" for f in _PATIENT_FIELDS)
    # One row per NHS number: the last row of the file for that patient wins.
    return f"""
        WITH up AS (
            INSERT INTO directory_patient (uuid, nhs_number, {", ".join(_PATIENT_FIELDS)})
            SELECT DISTINCT ON (nhs_number) gen_random_uuid(), nhs_number, family_name,
                   given_name, date_of_birth, practice_id
            FROM {STAGING} ORDER BY nhs_number, row_number DESC
            ON CONFLICT (nhs_number) DO UPDATE SET {sets}
            WHERE ({current}) IS DISTINCT FROM ({proposed})
            RETURNING id, uuid, (xmax = 0) AS inserted
        )
        INSERT INTO {PATIENT_RESULT} SELECT * FROM up
    """  # noqa: S608


def _audit_sql(source: str, object_type: str, patient_column: str) -> str:
    """One audit event per row of ``source``; parameters: the actor's user id, the detail. The
    chain's trigger (audit/chain.py) links and hashes each row."""
    return f"""
        INSERT INTO audit_auditevent (at, user_id, patient_id, action, client, object_type,
            object_id, ip_address, user_agent, detail)
        SELECT now(), %s, {patient_column},
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


def write_postgresql(cursor, *, path: str, actor) -> dict:
    detail = f"PTL import {Path(path).name}"[:300]
    audit_params = [actor.pk, detail]
    # Room for the few sorts and hashes over the file's rows, for this transaction only.
    cursor.execute("SELECT set_config('work_mem', '64MB', true)")
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
    # The file's referrals already stored, read once, before the upsert overwrites them: one
    # index lookup by UBRN per row (OFFSET 0 keeps the planner from turning it into a scan of
    # the whole referral table, which a fresh file, matching nothing, would pay in full).
    cursor.execute(
        f"""CREATE TEMP TABLE {EXISTING} ON COMMIT DROP AS
            SELECT r.id, r.provider_id, r.clock_start, s.provider_id AS new_provider_id,
                   s.clock_start AS new_clock_start
            FROM {STAGING} s CROSS JOIN LATERAL (
                SELECT id, provider_id, clock_start FROM triage_referral
                WHERE triage_referral.ubrn = s.ubrn OFFSET 0) AS r"""  # noqa: S608
    )
    # Providers a referral leaves (its queue shrinks), and the clock starts the file changes.
    cursor.execute(
        f"SELECT DISTINCT provider_id FROM {EXISTING} WHERE provider_id <> new_provider_id"  # noqa: S608
    )
    left = [row[0] for row in cursor.fetchall()]
    cursor.execute(
        _event_sql(
            f"""SELECT id, now(), NULL, '{EventKind.CLOCK}', '', '', clock_start,
                   new_clock_start, 'RTT clock start changed by the patient tracking list'
            FROM {EXISTING} WHERE clock_start <> new_clock_start ORDER BY id"""  # noqa: S608
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
    # The audit events last: appending to the chain takes its lock until the import commits,
    # and every audited read in the app waits for it meanwhile (docs/operations.md).
    cursor.execute(_audit_sql(PATIENT_RESULT, "patient", "id"), audit_params)
    cursor.execute(_audit_sql(RESULT, "referral", "patient_id"), audit_params)
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
