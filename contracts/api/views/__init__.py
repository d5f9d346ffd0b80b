"""The contracts API views, one per operation."""

from contracts.api.views.compliance import ComplianceApi, ComplianceWeeklyApi
from contracts.api.views.events import AttendanceCreateApi, DischargeCreateApi
from contracts.api.views.obligations import (
    ObligationDetailApi,
    ObligationFulfilApi,
    ObligationListApi,
)
from contracts.api.views.reports import BreachReportDetailApi, BreachReportListCreateApi

__all__ = [
    "AttendanceCreateApi",
    "BreachReportDetailApi",
    "BreachReportListCreateApi",
    "ComplianceApi",
    "ComplianceWeeklyApi",
    "DischargeCreateApi",
    "ObligationDetailApi",
    "ObligationFulfilApi",
    "ObligationListApi",
]
