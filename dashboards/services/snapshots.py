"""The daily snapshot (docs/product.md §6): taken by the sweep (beat, and ``run_sweeps``), once
a day whatever the number of runs.

The day's :class:`~dashboards.models.SnapshotDay` row is inserted first, in the transaction
that writes the figures: its unique date makes a second run (or one running at the same time,
which waits on the first's insert and then finds the day taken) do nothing, and a run killed
half-way leaves nothing, so the next sweep takes the day whole. Every figure is read through
the owning app's selectors; the snapshot holds aggregates only, never a patient.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from contracts.selectors import compliance_rows
from dashboards import rules
from dashboards.models import (
    BudgetSnapshot,
    ComplianceSnapshot,
    DiagnosticSnapshot,
    ServiceSnapshot,
    SnapshotDay,
)
from diagnostics.selectors import dm01_summary
from directory.models import Organisation
from prescribing.selectors import budget_positions
from triage.selectors.measures import ServiceMeasures, service_measures

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SnapshotResult:
    day: date
    taken: bool  # False: the day already had its snapshot, and nothing was written
    services: int = 0
    diagnostics: int = 0
    budgets: int = 0
    compliance: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        if not self.taken:
            return f"snapshot of {self.day} already taken; nothing to do."
        return (
            f"snapshot of {self.day} taken: {self.services} service(s), "
            f"{self.diagnostics} diagnostic, {self.budgets} budget and {self.compliance} "
            f"compliance row(s) in {self.seconds:.1f} s."
        )


def _icb_of(organisations: dict[int, Organisation], organisation_id: int) -> int:
    organisation = organisations[organisation_id]
    return organisation.icb_id or organisation.pk


def _service_row(day: date, measures: ServiceMeasures, icb_id: int) -> ServiceSnapshot:
    bands = rules.bands_of(measures.weeks)
    return ServiceSnapshot(
        day=day,
        icb_id=icb_id,
        provider_id=measures.provider_id,
        treatment_function=measures.treatment_function,
        open_referrals=measures.open_referrals,
        deferred=measures.deferred,
        unreviewed=measures.unreviewed,
        breached=measures.breached,
        **{rules.BAND_FIELDS[label]: count for label, count in bands.items()},
        **{
            rules.CATEGORY_FIELDS[category]: count
            for category, count in measures.categories.items()
        },
        advice_pending=measures.advice_pending,
        reviews_7_days=measures.reviews_7_days,
        received_12_weeks=measures.received_12_weeks,
        stopped_12_weeks=measures.stopped_12_weeks,
        days_waited=measures.days_waited,
        weeks_waited=_trimmed(measures.weeks),
    )


def _trimmed(histogram: list[int]) -> list[int]:
    """The histogram without its trailing empty weeks (the forecast pads it again)."""
    end = len(histogram)
    while end and not histogram[end - 1]:
        end -= 1
    return list(histogram[:end])


def _services(day: date) -> list[ServiceSnapshot]:
    measures = service_measures(today=day, demand_weeks=settings.DASHBOARD_DEMAND_WEEKS)
    organisations = Organisation.objects.in_bulk({m.provider_id for m in measures})
    return [
        _service_row(day, m, _icb_of(organisations, m.provider_id))
        for m in measures
        if m.provider_id in organisations
    ]


def _by_ods(codes) -> dict[str, Organisation]:
    return Organisation.objects.in_bulk(set(codes), field_name="ods_code")


def _diagnostics(day: date) -> list[DiagnosticSnapshot]:
    rows = dm01_summary(today=day)
    hubs = _by_ods(r["hub"] for r in rows)
    return [
        DiagnosticSnapshot(
            day=day,
            icb_id=hubs[r["hub"]].icb_id or hubs[r["hub"]].pk,
            hub=hubs[r["hub"]],
            test_type=str(r["test_type"]),
            test_type_name=str(r.get("test_type_name") or ""),
            waiting=r["waiting"],
            over_6_weeks=r["over_6_weeks"],
        )
        for r in rows
        if r["hub"] in hubs
    ]


def _money(value) -> Decimal:
    return Decimal(value or 0).quantize(Decimal("0.01"))


def _budgets(day: date) -> list[BudgetSnapshot]:
    rows = budget_positions(today=day)
    icbs = _by_ods(r["icb"] for r in rows)
    return [
        BudgetSnapshot(
            day=day,
            icb=icbs[r["icb"]],
            budget=str(r["budget"]),
            therapeutic_area=str(r.get("therapeutic_area") or ""),
            financial_year=str(r["financial_year"]),
            amount=_money(r["amount"]),
            spent=_money(r["spent"]),
            committed=_money(r["committed"]),
            forecast_outturn=_money(r["forecast_outturn"]),
        )
        for r in rows
        if r["icb"] in icbs
    ]


def _compliance(day: date) -> list[ComplianceSnapshot]:
    rows = compliance_rows()
    providers = _by_ods(r["provider"] for r in rows)
    return [
        ComplianceSnapshot(
            day=day,
            icb_id=providers[r["provider"]].icb_id or providers[r["provider"]].pk,
            provider=providers[r["provider"]],
            duty=r["duty"],
            due=r["due"],
            met=r["met"],
            met_late=r["met_late"],
            overdue=r["overdue"],
            breach_reports=r["breach_reports"],
        )
        for r in rows
        if r["provider"] in providers
    ]


@transaction.atomic
def snapshot_take(*, today: date | None = None) -> SnapshotResult:
    """Take the snapshot of ``today`` (English local date) unless it has been taken: every
    service's waiting list, the diagnostic waits, budget positions and contract compliance."""
    day = today or timezone.localdate()
    started = time.perf_counter()
    try:
        with transaction.atomic():
            SnapshotDay.objects.create(day=day, taken_at=timezone.now())
    except IntegrityError:
        return SnapshotResult(day=day, taken=False)
    services = ServiceSnapshot.objects.bulk_create(_services(day), batch_size=1000)
    diagnostics = DiagnosticSnapshot.objects.bulk_create(_diagnostics(day), batch_size=1000)
    budgets = BudgetSnapshot.objects.bulk_create(_budgets(day), batch_size=1000)
    compliance = ComplianceSnapshot.objects.bulk_create(_compliance(day), batch_size=1000)
    return SnapshotResult(
        day=day,
        taken=True,
        services=len(services),
        diagnostics=len(diagnostics),
        budgets=len(budgets),
        compliance=len(compliance),
        seconds=time.perf_counter() - started,
    )


def snapshot_sweep() -> str:
    """The sweep (``run_sweeps``, and beat hourly): today's snapshot, if not yet taken."""
    return snapshot_take().summary()
