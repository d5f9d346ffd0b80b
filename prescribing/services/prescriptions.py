"""Issuing, dispensing and cancelling electronic prescriptions (docs/product.md §4).

Money is ``Decimal`` pounds throughout; a prescription's total is summed in SQL from its items.
Prescribing under a shared care agreement needs the GP's acceptance: the agreement's row is
locked while it is checked, so an agreement ended at the same moment is never prescribed under.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from audit.models import AuditAction
from audit.services import AuditContext
from core.errors import ApplicationError, ConflictError
from core.events import publish
from directory.models import Organisation, OrganisationKind, Patient, User
from directory.selectors import patients_visible_to
from prescribing import permissions, rules
from prescribing.models import (
    AgreementStatus,
    Budget,
    Prescription,
    PrescriptionItem,
    PrescriptionStatus,
    SharedCareAgreement,
)
from prescribing.services.budget_alerts import budget_alerts_raise
from prescribing.services.recording import audit_change
from prescribing.validators import DMD_CODE_VALIDATOR

# A prescription's items: enough for any real one, and a bound on one request's work.
MAX_ITEMS = 1000
MAX_DAYS_SUPPLY = 366
MAX_QUANTITY = 1_000_000
MAX_ITEM_COST = Decimal("9999999999.99")


@dataclass(frozen=True)
class Item:
    medicine: str
    dmd_code: str
    quantity: int
    days_supply: int
    cost: Decimal


def _item_problems(n: int, raw: Mapping) -> tuple[Item | None, list[str]]:
    problems = []
    medicine = str(raw.get("medicine") or "").strip()
    if not medicine:
        problems.append(f"Item {n}: enter the medicine.")
    elif len(medicine) > 200:
        problems.append(f"Item {n}: the medicine's name is longer than 200 characters.")
    dmd_code = str(raw.get("dmd_code") or "").strip()
    if dmd_code:
        try:
            DMD_CODE_VALIDATOR(dmd_code)
        except ValidationError as exc:
            problems.append(f"Item {n}: {exc.messages[0]}")
    quantity, days, cost = raw.get("quantity"), raw.get("days_supply"), raw.get("cost")
    if (
        isinstance(quantity, bool)
        or not isinstance(quantity, int)
        or not 1 <= quantity <= MAX_QUANTITY
    ):
        problems.append(f"Item {n}: enter the quantity, a whole number of at least 1.")
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_DAYS_SUPPLY:
        problems.append(f"Item {n}: enter the days of supply, from 1 to {MAX_DAYS_SUPPLY}.")
    try:
        cost = Decimal(str(cost))
        valid_cost = (
            cost.is_finite() and 0 <= cost <= MAX_ITEM_COST and cost == cost.quantize(rules.PENNY)
        )
    except (InvalidOperation, ValueError, TypeError):
        valid_cost = False
    if not valid_cost:
        problems.append(f"Item {n}: enter the cost in pounds and pence, such as 4.20.")
    if problems:
        return None, problems
    return Item(medicine, dmd_code, quantity, days, cost), []


def items_parse(items: Iterable[Mapping]) -> list[Item]:
    """The items as typed values, or an ``ApplicationError`` naming ``items`` and each bad one."""
    raw_items = list(items)
    if not raw_items:
        raise ApplicationError(
            "Add at least one item.", field_errors={"items": ["Add at least one item."]}
        )
    if len(raw_items) > MAX_ITEMS:
        message = f"A prescription has at most {MAX_ITEMS} items."
        raise ApplicationError(message, field_errors={"items": [message]})
    parsed, problems = [], []
    for n, raw in enumerate(raw_items, start=1):
        item, found = _item_problems(n, raw)
        parsed.append(item)
        problems += found
    if problems:
        raise ApplicationError("Some items are not valid.", field_errors={"items": problems})
    return parsed


def _budget_problem(budget: Budget, patient: Patient, today: datetime.date) -> str | None:
    if budget.icb_id != patient.registered_practice.icb_id:
        return (
            "Charge the prescription to a budget of the patient's ICB (that of their registered "
            "practice)."
        )
    if budget.financial_year != rules.financial_year_of(today):
        return (
            f"This budget is for {rules.financial_year_label(budget.financial_year)}: charge "
            f"today's prescription to a {rules.financial_year_label(rules.financial_year_of(today))} budget."
        )
    return None


def _agreement_for_prescribing(
    *, agreement: SharedCareAgreement, actor: User, patient: Patient
) -> SharedCareAgreement:
    """The agreement, locked, if it may be prescribed under; else the refusal."""
    if agreement.patient_id != patient.pk:
        raise ApplicationError(
            "The shared care agreement is for another patient.",
            field_errors={"shared_care": ["This shared care agreement is for another patient."]},
        )
    if not permissions.can_prescribe_under(actor, agreement):
        raise ApplicationError(
            "Only the agreement's consultant or GP prescribes under it.",
            field_errors={
                "shared_care": [
                    "Only the consultant or the GP of this agreement prescribes under it."
                ]
            },
        )
    agreement = SharedCareAgreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.status not in rules.PRESCRIBABLE_AGREEMENT_STATUSES:
        reason = {
            AgreementStatus.PROPOSED: "the GP has not accepted it yet",
            AgreementStatus.DECLINED: "the GP declined it, so prescribing stays with the specialist",
            AgreementStatus.ENDED: "it has ended",
        }[agreement.status]
        raise ConflictError(
            f"Nothing may be prescribed under this shared care agreement: {reason}.",
            current={"shared_care": str(agreement.uuid), "status": agreement.status},
        )
    return agreement


@transaction.atomic
def prescription_issue(
    *,
    actor: User,
    context: AuditContext,
    patient: Patient,
    pharmacy: Organisation,
    budget: Budget,
    items: Iterable[Mapping],
    discharge: bool = False,
    short_supply_reason: str = "",
    shared_care: SharedCareAgreement | None = None,
) -> Prescription:
    """Issue an electronic prescription to the patient's nominated pharmacy, charged to a joint
    budget. Any prescriber may, for a patient they may see; a discharge prescription covers at
    least 7 days unless the clinical reason for less is recorded; under a shared care agreement
    only once the GP has accepted it (409 otherwise), which makes an accepted agreement active."""
    if not permissions.can_prescribe(actor):
        raise ApplicationError("Only GPs, consultants and community clinicians prescribe.")
    today = timezone.localdate()
    short_supply_reason = (short_supply_reason or "").strip()
    errors: dict[str, list[str]] = {}
    if not patients_visible_to(actor).filter(pk=patient.pk).exists():
        errors["nhs_number"] = ["No patient you may see has this NHS number."]
    if pharmacy.kind != OrganisationKind.PHARMACY:
        errors["pharmacy"] = [f"{pharmacy.ods_code} is not a pharmacy."]
    if problem := _budget_problem(budget, patient, today):
        errors["budget"] = [problem]
    try:
        parsed = items_parse(items)
    except ApplicationError as error:
        errors.update(error.field_errors)
        parsed = []
    if parsed and (
        problem := rules.discharge_supply_problem(
            discharge=discharge,
            days_supplied=[i.days_supply for i in parsed],
            short_supply_reason=short_supply_reason,
        )
    ):
        errors["short_supply_reason"] = [problem]
    if errors:
        raise ApplicationError("The prescription was not issued.", field_errors=errors)
    if shared_care is not None:
        shared_care = _agreement_for_prescribing(
            agreement=shared_care, actor=actor, patient=patient
        )
    prescription = Prescription.objects.create(
        patient=patient,
        prescriber=actor,
        prescriber_organisation=actor.organisation,
        pharmacy=pharmacy,
        budget=budget,
        shared_care=shared_care,
        discharge=discharge,
        short_supply_reason=short_supply_reason if discharge else "",
    )
    PrescriptionItem.objects.bulk_create(
        PrescriptionItem(
            prescription=prescription,
            line=n,
            medicine=item.medicine,
            dmd_code=item.dmd_code,
            quantity=item.quantity,
            days_supply=item.days_supply,
            cost=item.cost,
        )
        for n, item in enumerate(parsed, start=1)
    )
    # The total, summed by the database from the rows just written.
    total = prescription.items.aggregate(total=Sum("cost"))["total"]
    Prescription.objects.filter(pk=prescription.pk).update(total_cost=total)
    prescription.total_cost = rules.pounds(total)
    if shared_care is not None and shared_care.status == AgreementStatus.ACCEPTED:
        # Accepted becomes active with the first prescription under it (docs/prescribing.md).
        shared_care.status = AgreementStatus.ACTIVE
        shared_care.activated_at = timezone.now()
        shared_care.save(update_fields=["status", "activated_at"])
    audit_change(
        actor=actor,
        context=context,
        action=AuditAction.CREATE,
        object_type="prescription",
        record=prescription,
        patient_id=patient.pk,
        detail=f"{len(parsed)} item(s), £{prescription.total_cost}"
        + (" under shared care" if shared_care is not None else ""),
    )
    # Events: contracts may open an obligation for a short discharge supply.
    publish(
        "prescribing.prescription_issued",
        prescription_uuid=prescription.uuid,
        patient_id=patient.pk,
        prescriber_organisation_id=actor.organisation_id,
        discharge=discharge,
        days_supplied=min(i.days_supply for i in parsed),
        short_supply_reason=prescription.short_supply_reason,
        issued_at=prescription.issued_at,
    )
    return prescription


def _lock(prescription: Prescription) -> Prescription:
    return Prescription.objects.select_for_update().get(pk=prescription.pk)


def _transition(prescription: Prescription, to_status: str) -> None:
    if not rules.prescription_can_become(prescription.status, to_status):
        raise ConflictError(
            f"This prescription is already {prescription.get_status_display().lower()}.",
            current={"status": prescription.status},
        )


@transaction.atomic
def prescription_dispense(
    *, prescription: Prescription, actor: User, context: AuditContext
) -> Prescription:
    """Record that the pharmacy dispensed it (the prescriber records the EPS dispensing
    notification): its cost moves from committed to spent, and the budget's committee is
    alerted at once if spend passes a threshold (the sweep catches anything missed)."""
    locked = _lock(prescription)
    if not permissions.can_dispense(actor, locked):
        raise ApplicationError("Only the prescriber records the dispensing.")
    _transition(locked, PrescriptionStatus.DISPENSED)
    locked.status = PrescriptionStatus.DISPENSED
    locked.dispensed_at = timezone.now()
    locked.save(update_fields=["status", "dispensed_at"])
    audit_change(
        actor=actor,
        context=context,
        action=AuditAction.UPDATE,
        object_type="prescription",
        record=locked,
        patient_id=locked.patient_id,
        detail="dispensed",
    )
    budget_alerts_raise(budget_ids=[locked.budget_id])
    return locked


@transaction.atomic
def prescription_cancel(
    *, prescription: Prescription, actor: User, context: AuditContext, reason: str = ""
) -> Prescription:
    """Cancel an issued prescription: its cost is no longer committed."""
    locked = _lock(prescription)
    if not permissions.can_cancel(actor, locked):
        raise ApplicationError("Only the prescriber cancels a prescription.")
    _transition(locked, PrescriptionStatus.CANCELLED)
    locked.status = PrescriptionStatus.CANCELLED
    locked.cancelled_at = timezone.now()
    locked.cancel_reason = (reason or "").strip()
    locked.save(update_fields=["status", "cancelled_at", "cancel_reason"])
    audit_change(
        actor=actor,
        context=context,
        action=AuditAction.UPDATE,
        object_type="prescription",
        record=locked,
        patient_id=locked.patient_id,
        detail="cancelled",
    )
    return locked
