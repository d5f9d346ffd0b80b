"""The other apps' figures on the dashboards, from the latest snapshot: diagnostic waits
against the 6-week standard, budget spend against plan, contract compliance (docs/product.md
§6). Their live figures belong to their apps; the snapshot took them through each app's
selectors."""

from __future__ import annotations

from datetime import date

from dashboards.models import BudgetSnapshot, ComplianceSnapshot, DiagnosticSnapshot
from dashboards.selectors.scope import Scope, latest_snapshot_day


def _day(day: date | None) -> date | None:
    return day or latest_snapshot_day()


def dashboard_diagnostics(scope: Scope, *, day: date | None = None) -> list[dict]:
    """Each hub's waits by test type, most over 6 weeks first."""
    day = _day(day)
    rows = DiagnosticSnapshot.objects.filter(scope.q(provider_field="hub"), day=day)
    return [
        {
            "hub": row.hub.ods_code,
            "hub_name": row.hub.name,
            "test_type": row.test_type,
            "test_type_name": row.test_type_name,
            "waiting": row.waiting,
            "over_6_weeks": row.over_6_weeks,
            "share_over_6_weeks": round(row.over_6_weeks / row.waiting, 3) if row.waiting else 0,
        }
        for row in rows.select_related("hub").order_by(
            "-over_6_weeks", "hub__ods_code", "test_type"
        )
    ]


def dashboard_budgets(scope: Scope, *, day: date | None = None) -> list[dict]:
    """The ICB's joint prescribing budgets: spent and committed against the amount."""
    day = _day(day)
    rows = BudgetSnapshot.objects.filter(Scope(icb_id=scope.icb_id).q(), day=day)
    return [
        {
            "budget": row.budget,
            "therapeutic_area": row.therapeutic_area,
            "icb": row.icb.ods_code,
            "financial_year": row.financial_year,
            "amount": row.amount,
            "spent": row.spent,
            "committed": row.committed,
            "remaining": row.amount - row.spent - row.committed,
            "forecast_outturn": row.forecast_outturn,
            "share_spent": round(float(row.spent / row.amount), 3) if row.amount else 0,
        }
        for row in rows.select_related("icb").order_by(
            "icb__ods_code", "-financial_year", "therapeutic_area", "budget"
        )
    ]


def dashboard_compliance(scope: Scope, *, day: date | None = None) -> list[dict]:
    """Each provider's obligations by duty: on time, late, overdue (docs/product.md §5)."""
    day = _day(day)
    rows = ComplianceSnapshot.objects.filter(scope.q(), day=day)
    result = []
    for row in rows.select_related("provider").order_by("provider__ods_code", "duty"):
        fulfilled = row.met + row.met_late + row.overdue
        result.append(
            {
                "provider": row.provider.ods_code,
                "provider_name": row.provider.name,
                "duty": row.duty,
                "due": row.due,
                "met": row.met,
                "met_late": row.met_late,
                "overdue": row.overdue,
                "on_time_rate": round(row.met / fulfilled, 3) if fulfilled else None,
                "breach_reports": row.breach_reports,
            }
        )
    return result
