"""Dashboard reads. Every one starts from a :class:`~dashboards.selectors.scope.Scope` made by
``dashboard_scope_for(user, …)``, which refuses anyone who may not open the dashboards; every
figure comes from the snapshots or triage's backlog summary, never a scan of the referrals."""

from dashboards.selectors.backlog import (
    HEADLINE_FIGURES,
    Backlog,
    Headline,
    backlog_by_provider,
    backlog_by_treatment_function,
    dashboard_backlog,
    dashboard_headlines,
    snapshot_totals,
    weeks_waited_distribution,
)
from dashboards.selectors.forecast import Forecast, dashboard_forecast
from dashboards.selectors.others import (
    dashboard_budgets,
    dashboard_compliance,
    dashboard_diagnostics,
)
from dashboards.selectors.scope import Scope, dashboard_scope_for, latest_snapshot_day
from dashboards.selectors.services import (
    SERVICE_COLUMNS,
    dashboard_services,
    service_rows,
    service_snapshots,
)
from dashboards.selectors.trends import (
    TREND_COLUMNS,
    dashboard_trends,
    snapshot_days,
    trend_rows,
)

__all__ = [
    "HEADLINE_FIGURES",
    "SERVICE_COLUMNS",
    "TREND_COLUMNS",
    "Backlog",
    "Forecast",
    "Headline",
    "Scope",
    "backlog_by_provider",
    "backlog_by_treatment_function",
    "dashboard_backlog",
    "dashboard_budgets",
    "dashboard_compliance",
    "dashboard_diagnostics",
    "dashboard_forecast",
    "dashboard_headlines",
    "dashboard_scope_for",
    "dashboard_services",
    "dashboard_trends",
    "latest_snapshot_day",
    "service_rows",
    "service_snapshots",
    "snapshot_days",
    "snapshot_totals",
    "trend_rows",
    "weeks_waited_distribution",
]
