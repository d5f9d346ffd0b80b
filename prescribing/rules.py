"""Prescribing's pure rules (docs/product.md §4): no database and no clock (callers pass
``today``). Sectors, financial years, the discharge supply rule, budget arithmetic and the
lifecycles of a prescription and a shared care agreement are written here once."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from directory.models import OrganisationKind
from prescribing.models import AgreementStatus, PrescriptionStatus

# Sectors


class Sector:
    PRIMARY = "primary"
    COMMUNITY = "community"
    SECONDARY = "secondary"


SECTOR_LABELS = {
    Sector.PRIMARY: "primary care",
    Sector.COMMUNITY: "community care",
    Sector.SECONDARY: "secondary care",
}
# A clinician's sector is the kind of organisation they work for.
SECTOR_BY_KIND = {
    OrganisationKind.GP_PRACTICE: Sector.PRIMARY,
    OrganisationKind.COMMUNITY_PROVIDER: Sector.COMMUNITY,
    OrganisationKind.TRUST: Sector.SECONDARY,
}
SECTORS = tuple(SECTOR_LABELS)


def sector_of(organisation_kind: str) -> str | None:
    """``primary``, ``community`` or ``secondary`` for a practice, a community provider or a
    trust; None for any other kind of organisation."""
    return SECTOR_BY_KIND.get(organisation_kind)


def committee_missing_sectors(organisation_kinds: Iterable[str]) -> list[str]:
    """The sectors (as labels) that the members' organisations leave out: a joint budget's
    committee needs primary, community and secondary care (docs/product.md §4)."""
    present = {sector_of(kind) for kind in organisation_kinds}
    return [SECTOR_LABELS[s] for s in SECTORS if s not in present]


# Financial years: 1 April to 31 March, named "2026/27" and stored as the starting year.


def financial_year_of(day: datetime.date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def financial_year_label(start_year: int) -> str:
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def financial_year_parse(text: str) -> int:
    """``"2026/27"`` → 2026; anything else raises ``ValueError`` saying what is expected."""
    text = str(text).strip()
    parts = text.split("/")
    expected = 'Enter the financial year as "2026/27": the year it starts, a slash, the next.'
    if len(parts) != 2 or not all(p.isascii() and p.isdigit() for p in parts):
        raise ValueError(expected)
    if len(parts[0]) != 4 or len(parts[1]) != 2:
        raise ValueError(expected)
    start = int(parts[0])
    if int(parts[1]) != (start + 1) % 100:
        raise ValueError(
            f"{text} is not a financial year: did you mean {financial_year_label(start)}?"
        )
    return start


def financial_year_bounds(start_year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(start_year, 4, 1), datetime.date(start_year + 1, 3, 31)


# The discharge supply rule (docs/product.md §4; NHS Standard Contract: at least 7 days of
# medication on discharge, unless a clinical reason for less is recorded).

DISCHARGE_MIN_DAYS = 7


def discharge_short_items(days_supplied: Iterable[int]) -> list[int]:
    """The 1-based item numbers that supply fewer than ``DISCHARGE_MIN_DAYS`` days."""
    return [n for n, days in enumerate(days_supplied, start=1) if days < DISCHARGE_MIN_DAYS]


def discharge_supply_problem(
    *, discharge: bool, days_supplied: Iterable[int], short_supply_reason: str
) -> str | None:
    """Why a prescription breaks the discharge rule, or None: a discharge prescription whose
    items cover fewer than 7 days needs the clinical reason for less."""
    if not discharge or short_supply_reason.strip():
        return None
    short = discharge_short_items(days_supplied)
    if not short:
        return None
    items = ", ".join(str(n) for n in short)
    return (
        f"A discharge prescription covers at least {DISCHARGE_MIN_DAYS} days: item"
        f"{'s' if len(short) > 1 else ''} {items} supply fewer. Record the clinical reason for "
        "less, or prescribe at least 7 days."
    )


# Money: pounds and pence, as Decimal.

PENNY = Decimal("0.01")


def pounds(value) -> Decimal:
    """A sum of money rounded to the penny (half up), never via a float."""
    return Decimal(value).quantize(PENNY, rounding=ROUND_HALF_UP)


def budget_remaining(*, amount: Decimal, spent: Decimal, committed: Decimal) -> Decimal:
    """What is left to commit: the amount less what is dispensed and what is issued."""
    return pounds(amount - spent - committed)


def forecast_outturn(
    *, spent: Decimal, committed: Decimal, financial_year: int, today: datetime.date
) -> Decimal:
    """The year's spend at the current run rate: what has been dispensed or issued so far,
    divided by the days of the year gone (today included), times the days in the year. Before
    the year starts, and once it has ended, it is what has been charged."""
    charged = spent + committed
    start, end = financial_year_bounds(financial_year)
    if today < start or today >= end:
        return pounds(charged)
    elapsed = (today - start).days + 1
    year_days = (end - start).days + 1
    return pounds(charged * year_days / elapsed)


def thresholds_reached(*, amount: Decimal, spent: Decimal, thresholds: Iterable[int]) -> list[int]:
    """The alert thresholds (percentages of the budget) that spend has reached or passed."""
    return [t for t in thresholds if spent * 100 >= amount * t]


def percent_of(amount: Decimal, part: Decimal) -> Decimal:
    return (part * 100 / amount).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# A prescription's lifecycle: issued → dispensed (the prescriber records the dispensing
# notification) or cancelled.

PRESCRIPTION_TRANSITIONS = {
    PrescriptionStatus.ISSUED: frozenset(
        {PrescriptionStatus.DISPENSED, PrescriptionStatus.CANCELLED}
    ),
    PrescriptionStatus.DISPENSED: frozenset(),
    PrescriptionStatus.CANCELLED: frozenset(),
}


def prescription_can_become(current: str, new: str) -> bool:
    return new in PRESCRIPTION_TRANSITIONS.get(current, frozenset())


# A shared care agreement's lifecycle.

AGREEMENT_TRANSITIONS = {
    AgreementStatus.PROPOSED: frozenset({AgreementStatus.ACCEPTED, AgreementStatus.DECLINED}),
    AgreementStatus.ACCEPTED: frozenset({AgreementStatus.ACTIVE, AgreementStatus.ENDED}),
    AgreementStatus.ACTIVE: frozenset({AgreementStatus.ENDED}),
    AgreementStatus.DECLINED: frozenset(),
    AgreementStatus.ENDED: frozenset(),
}
# Prescribing under an agreement needs the GP's acceptance (docs/product.md §4).
PRESCRIBABLE_AGREEMENT_STATUSES = frozenset({AgreementStatus.ACCEPTED, AgreementStatus.ACTIVE})


def agreement_can_become(current: str, new: str) -> bool:
    return new in AGREEMENT_TRANSITIONS.get(current, frozenset())


def monitoring_due_on(
    *, accepted_on: datetime.date | None, last_booked_on: datetime.date | None, interval_days: int
) -> datetime.date | None:
    """When a monitoring test is next due: the patient's last booking of it plus the interval
    or, before any booking, the GP's acceptance plus the interval. None until the GP accepts."""
    if accepted_on is None:
        return None
    return (last_booked_on or accepted_on) + datetime.timedelta(days=interval_days)
