"""How prescribing's records are shown, once for the API, the pages and the dashboards: a
budget's money figures, and the words for statuses and sectors."""

from __future__ import annotations

import datetime
from decimal import Decimal

from prescribing import rules


def budget_figures(
    *,
    amount: Decimal,
    spent: Decimal,
    committed: Decimal,
    financial_year: int,
    today: datetime.date,
) -> dict[str, Decimal]:
    """``spent``, ``committed``, ``remaining`` and ``forecast_outturn`` in pounds."""
    return {
        "spent": rules.pounds(spent),
        "committed": rules.pounds(committed),
        "remaining": rules.budget_remaining(amount=amount, spent=spent, committed=committed),
        "forecast_outturn": rules.forecast_outturn(
            spent=spent, committed=committed, financial_year=financial_year, today=today
        ),
    }


def percent_spent(amount: Decimal, spent: Decimal) -> Decimal:
    return rules.percent_of(amount, spent)


def sector_label(sector: str | None) -> str:
    return rules.SECTOR_LABELS.get(sector or "", "other")
