"""Setting up a joint prescribing budget and its committee (docs/product.md §4)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction

from audit.models import AuditAction
from audit.services import AuditContext
from core.errors import ApplicationError, ConflictError
from directory.models import Organisation, OrganisationKind, User
from prescribing import permissions, rules
from prescribing.models import FIRST_FINANCIAL_YEAR, LAST_FINANCIAL_YEAR, Budget
from prescribing.services.recording import audit_change

MAX_AMOUNT = Decimal("999999999999.99")


def _amount_problem(amount) -> str | None:
    try:
        value = Decimal(str(amount))
    except (InvalidOperation, ValueError, TypeError):
        return "Enter the amount in pounds, such as 250000.00."
    if not value.is_finite() or value <= 0:
        return "Enter an amount of more than £0."
    if value != value.quantize(rules.PENNY):
        return "Enter the amount in pounds and pence: at most 2 decimal places."
    if value > MAX_AMOUNT:
        return "Enter an amount under £1,000,000,000,000."
    return None


def committee_problems(*, icb: Organisation, members: list[User]) -> list[str]:
    """What is wrong with a proposed committee, or nothing: clinicians of the ICB from primary,
    community and secondary care, all three (docs/product.md §4)."""
    if not members:
        return ["Choose the committee: clinicians from primary, community and secondary care."]
    problems = []
    not_prescribers = [m.username for m in members if not permissions.can_sit_on_committee(m)]
    if not_prescribers:
        problems.append(
            f"{', '.join(not_prescribers)}: only active GPs, consultants and community "
            "clinicians sit on a budget committee."
        )
    elsewhere = [
        m.username
        for m in members
        if m.organisation_id is not None and m.organisation.icb_id != icb.pk
    ]
    if elsewhere:
        problems.append(f"{', '.join(elsewhere)}: not of an organisation in {icb.name}.")
    missing = rules.committee_missing_sectors(
        m.organisation.kind for m in members if m.organisation_id is not None
    )
    if missing:
        problems.append(
            "The committee needs members from primary, community and secondary care: add "
            f"someone from {' and '.join(missing)}."
        )
    return problems


@transaction.atomic
def budget_create(
    *,
    actor: User,
    context: AuditContext,
    icb: Organisation,
    financial_year: int,
    amount: Decimal,
    therapeutic_area: str = "",
    committee: Iterable[User],
) -> Budget:
    """Set up a joint budget for an ICB's financial year, with its committee. An ICB's managers
    set up their own ICB's budgets; an administrator any ICB's."""
    if not permissions.can_set_up_budgets(actor):
        raise ApplicationError("Only an ICB's managers or an administrator can set up a budget.")
    members = list({m.pk: m for m in committee}.values())
    therapeutic_area = (therapeutic_area or "").strip()
    errors: dict[str, list[str]] = {}
    if icb.kind != OrganisationKind.ICB:
        errors["icb"] = [f"{icb.ods_code} is not an ICB."]
    elif not permissions.can_set_up_budget_for(actor, icb.pk):
        errors["icb"] = ["You can set up budgets for your own ICB only."]
    if not FIRST_FINANCIAL_YEAR <= financial_year <= LAST_FINANCIAL_YEAR:
        errors["financial_year"] = [
            f"Enter a financial year from {rules.financial_year_label(FIRST_FINANCIAL_YEAR)} to "
            f"{rules.financial_year_label(LAST_FINANCIAL_YEAR)}."
        ]
    if problem := _amount_problem(amount):
        errors["amount"] = [problem]
    if len(therapeutic_area) > 120:
        errors["therapeutic_area"] = ["Use at most 120 characters."]
    if "icb" not in errors and (problems := committee_problems(icb=icb, members=members)):
        errors["committee"] = problems
    if (
        not errors
        and Budget.objects.filter(
            icb=icb, financial_year=financial_year, therapeutic_area=therapeutic_area
        ).exists()
    ):
        errors["financial_year"] = [_duplicate_message(icb, financial_year, therapeutic_area)]
    if errors:
        raise ApplicationError("The budget was not set up.", field_errors=errors)
    try:
        with transaction.atomic():
            budget = Budget.objects.create(
                icb=icb,
                financial_year=financial_year,
                amount=rules.pounds(Decimal(str(amount))),
                therapeutic_area=therapeutic_area,
                created_by=actor,
            )
    except IntegrityError as exc:
        # Someone set up the same budget a moment ago.
        raise ConflictError(_duplicate_message(icb, financial_year, therapeutic_area)) from exc
    budget.committee.set(members)
    audit_change(
        actor=actor,
        context=context,
        action=AuditAction.CREATE,
        object_type="prescribing_budget",
        record=budget,
        patient_id=None,
        detail=f"{icb.ods_code} {rules.financial_year_label(financial_year)} £{budget.amount}",
    )
    return budget


def _duplicate_message(icb: Organisation, financial_year: int, therapeutic_area: str) -> str:
    area = f" for {therapeutic_area}" if therapeutic_area else " for all therapeutic areas"
    return (
        f"{icb.name} already has a budget for {rules.financial_year_label(financial_year)}{area}."
    )
