"""Discharges and outpatient attendances, recorded by the provider's staff or systems, and the
obligations they open (docs/product.md §5)."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.services import AuditContext
from contracts import permissions, rules, selectors
from contracts.models import Attendance, Discharge, DischargeKind, FitNote
from contracts.services.opening import audit_created, obligations_open
from core.errors import ApplicationError, ConflictError
from directory.models import Patient, User

MAX_MEDICATION_DAYS = 366


def _common_errors(
    *, actor: User, patient: Patient, at_field: str, at: datetime, fit_note: str
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not permissions.can_record_events(actor):
        raise ApplicationError(
            "Only a trust's or community provider's clinicians record discharges and attendances."
        )
    if not selectors.may_record_for(user=actor, patient=patient):
        errors["nhs_number"] = ["No patient you may see has this NHS number."]
    if timezone.is_naive(at):
        errors[at_field] = ["Give the time with its offset, e.g. 2026-03-02T14:30:00+00:00."]
    elif problems := rules.event_time_errors(
        at=at, now=timezone.now(), date_of_birth=patient.date_of_birth
    ):
        errors[at_field] = problems
    if fit_note not in FitNote.values:
        errors["fit_note"] = [f"Choose one of: {', '.join(FitNote.values)}."]
    return errors


def _create_once(model, lookup: dict, values: dict):
    """The record, created; or the same record sent before (a retry), found; or 409 when a
    different record of the same event exists. A savepoint keeps a lost race harmless."""
    existing = model.objects.filter(**lookup).first()
    if existing is None:
        try:
            with transaction.atomic():
                return model.objects.create(**lookup, **values), True
        except IntegrityError:
            existing = model.objects.filter(**lookup).first()
            if existing is None:
                raise
    compared = [name for name in values if name != "recorded_by"]
    if any(getattr(existing, name) != values[name] for name in compared):
        raise ConflictError(
            "A different record of this patient at this time is already held.",
            current={"id": str(existing.uuid), **{n: getattr(existing, n) for n in compared}},
        )
    return existing, False


@transaction.atomic
def discharge_record(
    *,
    actor: User,
    context: AuditContext,
    patient: Patient,
    kind: str,
    discharged_at: datetime,
    medication_days: int | None,
    fit_note: str,
) -> tuple[Discharge, bool]:
    """Record a discharge from inpatient, day case or A&E care at the actor's organisation and
    open what it owes: the discharge summary (due ``CONTRACTS_DISCHARGE_SUMMARY_HOURS`` after),
    the discharge medication (met, or open and due at once when under
    ``CONTRACTS_DISCHARGE_MEDICATION_DAYS``) and a fit note that was due. The same discharge
    sent again (the provider's system retrying) is found, not recorded twice: the second
    element is False."""
    errors = _common_errors(
        actor=actor, patient=patient, at_field="discharged_at", at=discharged_at, fit_note=fit_note
    )
    if kind not in DischargeKind.values:
        errors["kind"] = [f"Choose one of: {', '.join(DischargeKind.values)}."]
    if medication_days is not None and not 0 <= medication_days <= MAX_MEDICATION_DAYS:
        errors["medication_days"] = [f"Give a number of days from 0 to {MAX_MEDICATION_DAYS}."]
    if errors:
        raise ApplicationError("The discharge was not recorded.", field_errors=errors)
    discharge, created = _create_once(
        Discharge,
        {"provider": actor.organisation, "patient": patient, "discharged_at": discharged_at},
        {
            "kind": kind,
            "medication_days": medication_days,
            "fit_note": fit_note,
            "recorded_by": actor,
        },
    )
    if not created:
        return discharge, False
    opened = obligations_open(
        opened=rules.discharge_obligations(medication_days=medication_days, fit_note=fit_note),
        provider=actor.organisation,
        patient=patient,
        event_at=discharged_at,
        actor=actor,
        discharge=discharge,
    )
    audit_created(actor=actor, context=context, object_type="discharge", records=[discharge])
    audit_created(actor=actor, context=context, object_type="obligation", records=opened)
    return discharge, True


@transaction.atomic
def attendance_record(
    *,
    actor: User,
    context: AuditContext,
    patient: Patient,
    attended_at: datetime,
    gp_action_needed: bool,
    fit_note: str = FitNote.NOT_NEEDED,
) -> tuple[Attendance, bool]:
    """Record an outpatient attendance at the actor's organisation; one that needs GP action
    opens the clinic letter (due ``CONTRACTS_CLINIC_LETTER_DAYS`` after), and a fit note that
    was due is recorded. A retry of the same attendance is found, not recorded twice."""
    errors = _common_errors(
        actor=actor, patient=patient, at_field="attended_at", at=attended_at, fit_note=fit_note
    )
    if errors:
        raise ApplicationError("The attendance was not recorded.", field_errors=errors)
    attendance, created = _create_once(
        Attendance,
        {"provider": actor.organisation, "patient": patient, "attended_at": attended_at},
        {"gp_action_needed": gp_action_needed, "fit_note": fit_note, "recorded_by": actor},
    )
    if not created:
        return attendance, False
    opened = obligations_open(
        opened=rules.attendance_obligations(gp_action_needed=gp_action_needed, fit_note=fit_note),
        provider=actor.organisation,
        patient=patient,
        event_at=attended_at,
        actor=actor,
        attendance=attendance,
    )
    audit_created(actor=actor, context=context, object_type="attendance", records=[attendance])
    audit_created(actor=actor, context=context, object_type="obligation", records=opened)
    return attendance, True
