"""Budget alerts (docs/product.md §4): each member of a joint budget's committee is alerted
once when spend (what has been dispensed) reaches or passes each threshold, 80% and 100% by
default (``PRESCRIBING_BUDGET_ALERT_PERCENTS``).

The alert's key names the fact (``prescribing.budget:<uuid>:80:<username>``) and the inbox
inserts a key once (``ON CONFLICT DO NOTHING``), so a second run, or two at once, raise
nothing new. The dispensing that passes a threshold raises its alerts in its own transaction;
the sweep finds, in one grouped query, every budget past a threshold and raises whatever is
missing (a threshold lowered, a member added, a dispensing raced by another)."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import DecimalField, F, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse

from alerts.services import AlertDraft, alerts_raise
from prescribing import rules
from prescribing.models import Budget, PrescriptionStatus

ALERT_KIND = "prescribing.budget_threshold"
_MONEY = DecimalField(max_digits=16, decimal_places=2)


def alert_thresholds() -> list[int]:
    return sorted(set(settings.PRESCRIBING_BUDGET_ALERT_PERCENTS))


def alert_key(budget_uuid, threshold: int, username: str) -> str:
    return f"prescribing.budget:{budget_uuid}:{threshold}:{username}"


def _budgets_past_first_threshold(budget_ids: Iterable[int] | None) -> list[dict]:
    """Budgets whose spend has reached the lowest threshold, with their spend (one query)."""
    lowest = alert_thresholds()[0]
    budgets = Budget.objects.all()
    if budget_ids is not None:
        budgets = budgets.filter(pk__in=list(budget_ids))
    spent = Coalesce(
        Sum(
            "prescriptions__total_cost",
            filter=Q(prescriptions__status=PrescriptionStatus.DISPENSED),
            output_field=_MONEY,
        ),
        Value(0, output_field=_MONEY),
        output_field=_MONEY,
    )
    return list(
        budgets.annotate(spent=spent)
        .filter(spent__gte=F("amount") * lowest / 100)
        .values("id", "uuid", "amount", "spent", "financial_year", "therapeutic_area", "icb__name")
    )


def _subject(budget: dict, threshold: int) -> str:
    area = f" ({budget['therapeutic_area']})" if budget["therapeutic_area"] else ""
    return (
        f"Joint prescribing budget {budget['icb__name']} "
        f"{rules.financial_year_label(budget['financial_year'])}{area}: spend has reached "
        f"{threshold}% (£{rules.pounds(budget['spent']):,} of £{budget['amount']:,})"
    )


def budget_alerts_raise(*, budget_ids: Iterable[int] | None = None) -> int:
    """Raise every threshold alert due to a committee member and not yet raised, for these
    budgets (all, by default); return how many were new. Call it inside the transaction that
    recorded the spend."""
    budgets = _budgets_past_first_threshold(budget_ids)
    if not budgets:
        return 0
    members = Budget.committee.through.objects.filter(
        budget_id__in=[b["id"] for b in budgets]
    ).values_list("budget_id", "user_id", "user__username")
    by_budget: dict[int, list[tuple[int, str]]] = {}
    for budget_id, user_id, username in members:
        by_budget.setdefault(budget_id, []).append((user_id, username))
    drafts = []
    for budget in budgets:
        reached = rules.thresholds_reached(
            amount=budget["amount"], spent=budget["spent"], thresholds=alert_thresholds()
        )
        for threshold in reached:
            for user_id, username in by_budget.get(budget["id"], ()):
                drafts.append(
                    AlertDraft(
                        kind=ALERT_KIND,
                        key=alert_key(budget["uuid"], threshold, username),
                        subject=_subject(budget, threshold),
                        link=reverse("prescribing:budget-detail", args=[budget["uuid"]]),
                        recipient_id=user_id,
                    )
                )
    return alerts_raise(drafts)


def budget_alerts_sweep() -> str:
    """The sweep ``prescribing.budget_alerts``: every threshold alert due and not yet raised."""
    with transaction.atomic():
        raised = budget_alerts_raise()
    return f"{raised} budget threshold alert{'s' if raised != 1 else ''} raised"
