"""Joint budgets: which a user may see, and their positions (spent, committed, remaining and
the forecast outturn), summed in SQL."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from directory.access import NOTHING
from directory.models import Role, User
from prescribing import permissions, presenters, rules
from prescribing.models import Budget, Prescription, PrescriptionStatus

MONEY = DecimalField(max_digits=16, decimal_places=2)
ZERO = Value(Decimal("0.00"), output_field=MONEY)


def _charged(status: str, prefix: str = "prescriptions__") -> Coalesce:
    """The sum of the totals of a budget's prescriptions in ``status``, in SQL (0 for none)."""
    return Coalesce(
        Sum(f"{prefix}total_cost", filter=Q(**{f"{prefix}status": status}), output_field=MONEY),
        ZERO,
        output_field=MONEY,
    )


def budget_access_q(user: User) -> Q:
    """Administrators see every budget, managers their ICB's, clinicians their committees'."""
    if not (user.is_authenticated and user.is_active):
        return NOTHING
    if user.role == Role.ADMIN:
        return Q()
    if user.role == Role.MANAGER:
        return Q(icb_id=user.organisation_id) if user.organisation_id else NOTHING
    if user.is_clinician:
        return Q(
            pk__in=Budget.committee.through.objects.filter(user_id=user.pk).values("budget_id")
        )
    return NOTHING


def budgets_visible_to(user: User) -> QuerySet[Budget]:
    return (
        Budget.objects.filter(budget_access_q(user))
        .select_related("icb")
        .prefetch_related("committee__organisation")
    )


def budgets_with_totals(queryset: QuerySet[Budget]) -> QuerySet[Budget]:
    """Each budget annotated with ``spent`` (dispensed) and ``committed`` (issued, not yet
    dispensed), one grouped query."""
    return queryset.annotate(
        spent=_charged(PrescriptionStatus.DISPENSED),
        committed=_charged(PrescriptionStatus.ISSUED),
    )


def budget_get_for_user(*, user: User, budget_uuid) -> Budget:
    """The budget, or 404 if the user may not see it."""
    return get_object_or_404(budgets_with_totals(budgets_visible_to(user)), uuid=budget_uuid)


def budget_figures(budget: Budget, *, today: datetime.date | None = None) -> dict:
    """The money figures of a budget annotated by ``budgets_with_totals``."""
    return presenters.budget_figures(
        amount=budget.amount,
        spent=budget.spent,
        committed=budget.committed,
        financial_year=budget.financial_year,
        today=today or timezone.localdate(),
    )


def budget_positions(
    *, icb_id: int | None = None, today: datetime.date | None = None
) -> list[dict]:
    """Every budget's position (for the dashboards): ``budget`` (uuid), ``icb`` (ODS code),
    ``financial_year`` ("2026/27"), ``therapeutic_area``, ``amount``, ``spent``, ``committed``,
    ``remaining`` and ``forecast_outturn``, all money as ``Decimal`` pounds. One grouped query;
    ``icb_id`` narrows it to one ICB's budgets."""
    today = today or timezone.localdate()
    budgets = Budget.objects.all()
    if icb_id is not None:
        budgets = budgets.filter(icb_id=icb_id)
    rows = (
        budgets.annotate(
            spent=_charged(PrescriptionStatus.DISPENSED),
            committed=_charged(PrescriptionStatus.ISSUED),
        )
        .order_by("icb__ods_code", "-financial_year", "therapeutic_area", "id")
        .values(
            "uuid",
            "icb__ods_code",
            "financial_year",
            "therapeutic_area",
            "amount",
            "spent",
            "committed",
        )
    )
    positions = []
    for row in rows:
        positions.append(
            {
                "budget": row["uuid"],
                "icb": row["icb__ods_code"],
                "financial_year": rules.financial_year_label(row["financial_year"]),
                "therapeutic_area": row["therapeutic_area"],
                "amount": row["amount"],
                **presenters.budget_figures(
                    amount=row["amount"],
                    spent=row["spent"],
                    committed=row["committed"],
                    financial_year=row["financial_year"],
                    today=today,
                ),
            }
        )
    return positions


def budget_breakdown(budget: Budget, *, today: datetime.date | None = None) -> dict:
    """Spend by prescriber organisation and by sector, each with its forecast outturn at the
    current run rate: ``{"organisations": [...], "sectors": [...]}`` (one grouped query)."""
    today = today or timezone.localdate()
    rows = (
        Prescription.objects.filter(budget=budget)
        .exclude(status=PrescriptionStatus.CANCELLED)
        .values(
            "prescriber_organisation__ods_code",
            "prescriber_organisation__name",
            "prescriber_organisation__kind",
        )
        .annotate(
            spent=_charged(PrescriptionStatus.DISPENSED, prefix=""),
            committed=_charged(PrescriptionStatus.ISSUED, prefix=""),
        )
        .order_by("prescriber_organisation__name", "prescriber_organisation__ods_code")
    )

    def figures(spent: Decimal, committed: Decimal) -> dict:
        return {
            "spent": rules.pounds(spent),
            "committed": rules.pounds(committed),
            "forecast_outturn": rules.forecast_outturn(
                spent=spent, committed=committed, financial_year=budget.financial_year, today=today
            ),
        }

    organisations = []
    by_sector = {s: [Decimal("0"), Decimal("0")] for s in rules.SECTORS}
    for row in rows:
        sector = rules.sector_of(row["prescriber_organisation__kind"])
        organisations.append(
            {
                "organisation": row["prescriber_organisation__ods_code"],
                "name": row["prescriber_organisation__name"],
                "sector": sector,
                **figures(row["spent"], row["committed"]),
            }
        )
        if sector is not None:
            by_sector[sector][0] += row["spent"]
            by_sector[sector][1] += row["committed"]
    sectors = [
        {"sector": sector, **figures(spent, committed)}
        for sector, (spent, committed) in by_sector.items()
    ]
    return {"organisations": organisations, "sectors": sectors}


def budgets_chargeable_by(*, user: User, today: datetime.date | None = None) -> QuerySet[Budget]:
    """The current financial year's budgets, for a prescriber's form (the service checks the
    patient's ICB)."""
    if not permissions.can_prescribe(user):
        return Budget.objects.none()
    today = today or timezone.localdate()
    return Budget.objects.filter(financial_year=rules.financial_year_of(today)).select_related(
        "icb"
    )


def committee_members(budget: Budget) -> list[User]:
    return list(budget.committee.select_related("organisation").order_by("last_name", "id"))
