"""A queue row as the browser and the API show it (PRODUCT.md §7), pseudonymised for managers.

The API builds rows straight from ``QUEUE_ROW_VALUES`` (no model instances on its hot path);
the browser passes referrals. Both go through :func:`queue_row_values`.
"""

from __future__ import annotations

from datetime import date

from core.pseudonyms import patient_pseudonym
from directory.models import patient_display_name
from triage import rules
from triage.models import Referral

QUEUE_ROW_VALUES = (
    "id",
    "uuid",
    "ubrn",
    "patient_id",
    "patient__uuid",
    "patient__nhs_number",
    "patient__family_name",
    "patient__given_name",
    "provider__ods_code",
    "treatment_function_id",
    "priority",
    "category",
    "effective_category",
    "urgency_rank",
    "clock_start",
    "target_date",
    "position",
    "status",
)


def queue_row_values(values: dict, *, today: date, pseudonymise: bool) -> dict:
    """The row from the ``QUEUE_ROW_VALUES`` of one referral."""
    clock_start, target = values["clock_start"], values["target_date"]
    return {
        "id": str(values["uuid"]),
        "ubrn": values["ubrn"],
        "nhs_number": None if pseudonymise else values["patient__nhs_number"],
        "patient_name": (
            patient_pseudonym(values["patient__uuid"])
            if pseudonymise
            else patient_display_name(values["patient__family_name"], values["patient__given_name"])
        ),
        "provider": values["provider__ods_code"],
        "treatment_function": values["treatment_function_id"],
        "priority": values["priority"],
        "category": values["category"],
        "effective_category": values["effective_category"],
        "clock_start": clock_start,
        "target_date": target,
        "days_waited": rules.days_waited(clock_start, today),
        "days_to_target": rules.days_to_target(target, today) if target else None,
        "breached": rules.is_breached(target, today),
        "long_wait": rules.is_long_wait(clock_start, today),
        "position": values["position"],
        "status": values["status"],
    }


def queue_row(referral: Referral, *, today: date, pseudonymise: bool) -> dict:
    patient = referral.patient
    values = {
        **{name: getattr(referral, name) for name in QUEUE_ROW_VALUES if "__" not in name},
        "patient__uuid": patient.uuid,
        "patient__nhs_number": patient.nhs_number,
        "patient__family_name": patient.family_name,
        "patient__given_name": patient.given_name,
        "provider__ods_code": referral.provider.ods_code,
    }
    return queue_row_values(values, today=today, pseudonymise=pseudonymise)
