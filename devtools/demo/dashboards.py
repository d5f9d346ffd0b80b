"""The dashboards' demo: today's snapshot, taken for real, and a year of history before it
(docs/dashboards.md, "Demo history"), so the trends show from the first run.

The history is synthetic but consistent with today's figures: each service's list a year ago
was its size today times a factor drawn for it (most lists grew over the year, a few shrank),
moving in a straight line to today with a small weekly wiggle; its bands, categories, breaches
and other counts are today's scaled by the same factor (so bands always add up to the list),
and its mean wait drifts with the list. Diagnostic waits and compliance scale alike; a budget's
spend grows in a straight line from the start of its financial year. Days are marked
``backfilled`` and carry no weeks-waited histogram (the forecast starts from today's).
"""

from __future__ import annotations

import math
import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from dashboards import rules
from dashboards.models import (
    BudgetSnapshot,
    ComplianceSnapshot,
    DiagnosticSnapshot,
    ServiceSnapshot,
    SnapshotDay,
)
from dashboards.services import snapshot_take

HISTORY_DAYS = 364
SCALED_FIELDS = (
    "deferred",
    "unreviewed",
    "breached",
    "advice_pending",
    "reviews_7_days",
    "received_12_weeks",
    "stopped_12_weeks",
)
BAND_FIELDS = tuple(rules.BAND_FIELDS.values())
CATEGORY_FIELDS = tuple(rules.CATEGORY_FIELDS.values())


def split(total: int, parts: dict[str, int]) -> dict[str, int]:
    """``total`` shared in proportion to ``parts`` in whole numbers that add up to it (the
    largest remainders get the odd ones)."""
    whole = sum(parts.values())
    if not whole or total <= 0:
        return dict.fromkeys(parts, 0)
    shares = {k: total * v / whole for k, v in parts.items()}
    counts = {k: math.floor(v) for k, v in shares.items()}
    left = total - sum(counts.values())
    for k in sorted(shares, key=lambda k: shares[k] - counts[k], reverse=True)[:left]:
        counts[k] += 1
    return counts


def _path(rng: random.Random):
    """The factor of a day ``n`` days ago relative to today: a straight line from the year-ago
    factor to 1, with a monthly wiggle of a couple of percent (so not every list rises every
    week, and only some are flagged as getting worse)."""
    year_ago = rng.choice([rng.uniform(0.72, 0.95)] * 4 + [rng.uniform(1.02, 1.15)])
    phase = rng.uniform(0, 2 * math.pi)

    def factor(n: int) -> float:
        if n == 0:
            return 1.0
        trend = 1 + (year_ago - 1) * n / HISTORY_DAYS
        return max(0.0, trend * (1 + 0.02 * math.sin(phase + 2 * math.pi * n / 29)))

    return factor, year_ago


def _service_history(row: ServiceSnapshot, day: date, n: int, factor: float, drift: float):
    size = round(row.open_referrals * factor)
    bands = split(size, {f: getattr(row, f) for f in BAND_FIELDS})
    categories = split(size, {f: getattr(row, f) for f in CATEGORY_FIELDS})
    mean_days = row.days_waited / row.open_referrals if row.open_referrals else 0
    return ServiceSnapshot(
        day=day,
        icb_id=row.icb_id,
        provider_id=row.provider_id,
        treatment_function=row.treatment_function,
        open_referrals=size,
        **bands,
        **categories,
        **{f: round(getattr(row, f) * factor) for f in SCALED_FIELDS},
        days_waited=round(
            size * mean_days * (1 - drift * n / HISTORY_DAYS) * (1 + 0.02 * math.sin(n / 4))
        ),
        weeks_waited=[],
    )


def _financial_year_start(label: str) -> date | None:
    try:
        return date(int(label[:4]), 4, 1)
    except ValueError:
        return None


def _money(value: Decimal, share: float) -> Decimal:
    return (value * Decimal(str(share))).quantize(Decimal("0.01"))


def _other_history(today: date, days: list[date], factors: dict[int, float]):
    diagnostics = list(DiagnosticSnapshot.objects.filter(day=today))
    budgets = list(BudgetSnapshot.objects.filter(day=today))
    compliance = list(ComplianceSnapshot.objects.filter(day=today))
    rows: list = []
    for n, day in enumerate(days, start=1):
        f = factors[n]
        rows += [
            DiagnosticSnapshot(
                day=day,
                icb_id=d.icb_id,
                hub_id=d.hub_id,
                test_type=d.test_type,
                test_type_name=d.test_type_name,
                waiting=round(d.waiting * f),
                over_6_weeks=min(round(d.waiting * f), round(d.over_6_weeks * f * f)),
            )
            for d in diagnostics
        ]
        rows += [
            ComplianceSnapshot(
                day=day,
                icb_id=c.icb_id,
                provider_id=c.provider_id,
                duty=c.duty,
                **{k: round(getattr(c, k) * f) for k in ("due", "met", "met_late", "overdue")},
                breach_reports=round(c.breach_reports * f),
            )
            for c in compliance
        ]
        for b in budgets:
            start = _financial_year_start(b.financial_year)
            if start is None or day < start or today <= start:
                continue
            share = (day - start).days / (today - start).days
            rows.append(
                BudgetSnapshot(
                    day=day,
                    icb_id=b.icb_id,
                    budget=b.budget,
                    therapeutic_area=b.therapeutic_area,
                    financial_year=b.financial_year,
                    amount=b.amount,
                    spent=_money(b.spent, share),
                    committed=_money(b.committed, share),
                    forecast_outturn=b.forecast_outturn,
                )
            )
    return rows


@transaction.atomic
def backfill_history(*, today: date, seed: int, days: int = HISTORY_DAYS) -> int:
    """The ``days`` days before ``today``, derived from today's snapshot (which must have been
    taken, with no day before it). Returns how many service rows were written."""
    rng = random.Random(seed)
    past = [today - timedelta(days=n) for n in range(1, days + 1)]
    SnapshotDay.objects.bulk_create(
        SnapshotDay(day=day, taken_at=timezone.now(), backfilled=True) for day in past
    )
    written = 0
    batch: list[ServiceSnapshot] = []
    for row in ServiceSnapshot.objects.filter(day=today).order_by("id").iterator():
        factor, year_ago = _path(rng)
        # Lists that grew over the year waited longer as they grew; those that shrank, less.
        drift = 0.1 if year_ago < 1 else -0.05
        batch += [
            _service_history(row, day, n, factor(n), drift) for n, day in enumerate(past, start=1)
        ]
        if len(batch) >= 20_000:
            written += len(ServiceSnapshot.objects.bulk_create(batch, batch_size=5000))
            batch = []
    written += len(ServiceSnapshot.objects.bulk_create(batch, batch_size=5000))
    icb_factor, _ = _path(rng)
    others = _other_history(today, past, {n: icb_factor(n) for n in range(1, days + 1)})
    for model in (DiagnosticSnapshot, BudgetSnapshot, ComplianceSnapshot):
        model.objects.bulk_create([r for r in others if isinstance(r, model)], batch_size=2000)
    return written


@transaction.atomic
def demo_dashboards(*, organisations, users, seed: int) -> str:
    """Today's snapshot and the year before it, when the demo holds no snapshot yet."""
    if SnapshotDay.objects.exists():
        return "Dashboard snapshots already present; left as they are."
    today = timezone.localdate()
    taken = snapshot_take(today=today)
    written = backfill_history(today=today, seed=seed)
    return (
        f"Dashboards: today's snapshot ({taken.services} services) and {HISTORY_DAYS} days of "
        f"history before it ({written:,} service rows)."
    )
