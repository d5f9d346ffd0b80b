"""A queue row as the browser and the API show it (PRODUCT.md §7), pseudonymised for managers."""

from __future__ import annotations

from datetime import date

from interface.pseudonyms import patient_pseudonym
from triage import rules
from triage.models import Referral


def queue_row(referral: Referral, *, today: date, pseudonymise: bool) -> dict:
    patient = referral.patient
    waited = rules.days_waited(referral.clock_start, today)
    to_target = rules.days_to_target(referral.target_date, today) if referral.target_date else None
    row = {
        "id": str(referral.uuid),
        "ubrn": referral.ubrn,
        "nhs_number": None if pseudonymise else patient.nhs_number,
        "patient_name": patient_pseudonym(patient.uuid) if pseudonymise else patient.full_name,
        "provider": referral.provider.ods_code,
        "treatment_function": referral.treatment_function_id,
        "priority": referral.priority,
        "category": referral.category,
        "effective_category": referral.effective_category,
        "clock_start": referral.clock_start,
        "target_date": referral.target_date,
        "days_waited": waited,
        "days_to_target": to_target,
        "breached": rules.is_breached(referral.target_date, today),
        "long_wait": rules.is_long_wait(referral.clock_start, today),
        "position": referral.position,
        "status": referral.status,
    }
    return row
