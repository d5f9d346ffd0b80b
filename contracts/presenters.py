"""How an obligation and a breach report are shown as rows, by the API, the pages and the CSV
alike; pseudonymised for managers (``directory.presenters.patient_identity``)."""

from __future__ import annotations

from datetime import datetime

from contracts import rules
from contracts.models import BreachReport, Obligation
from directory.presenters import patient_identity


def obligation_source(obligation: Obligation) -> str:
    if obligation.discharge_id is not None:
        return "discharge"
    if obligation.attendance_id is not None:
        return "attendance"
    return "result"


def obligation_row(obligation: Obligation, *, now: datetime, pseudonym_scope: str | None) -> dict:
    """``id, duty, provider, nhs_number, patient_name, event_at, due_at, status,
    fulfilled_at, source`` (docs/product.md §7), ``status`` as of ``now``."""
    patient = obligation.patient
    return {
        "id": str(obligation.uuid),
        "duty": obligation.duty,
        "provider": obligation.provider.ods_code,
        **patient_identity(
            patient_uuid=patient.uuid,
            nhs_number=patient.nhs_number,
            family_name=patient.family_name,
            given_name=patient.given_name,
            pseudonym_scope=pseudonym_scope,
        ),
        "event_at": obligation.event_at,
        "due_at": obligation.due_at,
        "status": rules.current_status(
            due=obligation.due_at, fulfilled_at=obligation.fulfilled_at, now=now
        ),
        "fulfilled_at": obligation.fulfilled_at,
        "source": obligation_source(obligation),
    }


def breach_report_row(report: BreachReport) -> dict:
    """A breach report as its readers see it (the reporting practice and the provider
    addressed: both clinicians with the patient in view, so identifiable)."""
    return {
        "id": str(report.uuid),
        "duty": report.duty,
        "provider": report.provider.ods_code,
        "practice": report.practice.ods_code,
        "nhs_number": report.patient.nhs_number,
        "occurred_on": report.occurred_on,
        "description": report.description,
        "letter": report.letter,
        "reported_by": report.reported_by.username,
        "created_at": report.created_at,
        "letter_edited_at": report.letter_edited_at,
    }
