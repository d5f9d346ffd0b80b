"""A queue row as the browser and the API show it (docs/product.md §7), pseudonymised for managers.

A pseudonymised row (``pseudonym_scope`` set: ``directory.selectors.pseudonym_scope_for``) carries
no NHS number, name, date of birth, UBRN or free-text identifier: ``directory.presenters`` names the
patient, and the row leaves out the referral's UBRN (the API's referral serializers blank the
rest: ``identifiable_fields`` in ``triage.api.serializers``).

The one presenter of a queue row. ``QUEUE_ROW_COLUMNS`` declares its columns; the API's schema
serializer is built from them (``triage.api.serializers``), the API builds its rows straight from
``QUEUE_ROW_VALUES`` (no model instances on its hot path), and the browser's table rows
(``triage.web.rows``) add their display strings to the same row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from directory.presenters import patient_identity
from triage import rules
from triage.models import Priority, Referral, Status


@dataclass(frozen=True)
class Column:
    """One column of the queue row: its name, kind and how the API documents it."""

    name: str
    kind: str  # uuid, str, date, int, bool or choice
    nullable: bool = False
    help_text: str = ""
    choices: tuple = ()


QUEUE_ROW_COLUMNS = (
    Column("id", "uuid"),
    Column("ubrn", "str", nullable=True, help_text="Null for managers."),
    Column("nhs_number", "str", nullable=True, help_text="Null for managers."),
    Column("patient_name", "str", help_text="A stable pseudonym for managers."),
    Column("provider", "str", help_text="ODS code"),
    Column("treatment_function", "str"),
    Column("priority", "choice", choices=tuple(Priority.choices)),
    Column("category", "str", nullable=True, help_text="Reviewed category, or null."),
    Column("effective_category", "str"),
    Column(
        "displayed_category",
        "str",
        help_text="P5 or P6 when the patient chose to wait, else the effective category.",
    ),
    Column("clock_start", "date"),
    Column("target_date", "date", nullable=True),
    Column("days_waited", "int"),
    Column("weeks_waited", "int", help_text="Completed weeks, as RTT reporting counts them."),
    Column("days_to_target", "int", nullable=True, help_text="Negative: breached."),
    Column("breached", "bool"),
    Column("long_wait", "bool", help_text="Waited 52 weeks or more."),
    Column("position", "int", nullable=True, help_text="1-based, in its service."),
    Column("status", "choice", choices=tuple(Status.choices)),
)

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


def queue_row_values(values: dict, *, today: date, pseudonym_scope: str | None) -> dict:
    """The row from the ``QUEUE_ROW_VALUES`` of one referral; ``pseudonym_scope`` is
    ``directory.selectors.pseudonym_scope_for(user)`` (``None``: identifiable)."""
    clock_start, target = values["clock_start"], values["target_date"]
    return {
        "id": str(values["uuid"]),
        # A UBRN leads straight back to the patient in e-RS: none in a pseudonymised row.
        "ubrn": values["ubrn"] if pseudonym_scope is None else None,
        **patient_identity(
            patient_uuid=values["patient__uuid"],
            nhs_number=values["patient__nhs_number"],
            family_name=values["patient__family_name"],
            given_name=values["patient__given_name"],
            pseudonym_scope=pseudonym_scope,
        ),
        "provider": values["provider__ods_code"],
        "treatment_function": values["treatment_function_id"],
        "priority": values["priority"],
        "category": values["category"],
        "effective_category": values["effective_category"],
        "displayed_category": rules.displayed_category(values["category"], values["priority"]),
        "clock_start": clock_start,
        "target_date": target,
        "days_waited": rules.days_waited(clock_start, today),
        "weeks_waited": rules.weeks_waited(clock_start, today),
        "days_to_target": rules.days_to_target(target, today) if target else None,
        "breached": rules.is_breached(target, today),
        "long_wait": rules.is_long_wait(clock_start, today),
        "position": values["position"],
        "status": values["status"],
    }


def queue_row(referral: Referral, *, today: date, pseudonym_scope: str | None) -> dict:
    patient = referral.patient
    values = {
        **{name: getattr(referral, name) for name in QUEUE_ROW_VALUES if "__" not in name},
        "patient__uuid": patient.uuid,
        "patient__nhs_number": patient.nhs_number,
        "patient__family_name": patient.family_name,
        "patient__given_name": patient.given_name,
        "provider__ods_code": referral.provider.ods_code,
    }
    return queue_row_values(values, today=today, pseudonym_scope=pseudonym_scope)
