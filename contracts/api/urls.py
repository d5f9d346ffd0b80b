"""Contracts API routes (docs/product.md §7). Names are ``api-contracts-<thing>``; ids are UUIDs."""

from django.urls import path

from contracts.api import views

obligation = "obligations/<uuid:obligation_id>/"
report = "breach-reports/<uuid:report_id>/"

urlpatterns = [
    path("discharges/", views.DischargeCreateApi.as_view(), name="api-contracts-discharges"),
    path("attendances/", views.AttendanceCreateApi.as_view(), name="api-contracts-attendances"),
    path("obligations/", views.ObligationListApi.as_view(), name="api-contracts-obligations"),
    path(obligation, views.ObligationDetailApi.as_view(), name="api-contracts-obligation-detail"),
    path(
        f"{obligation}fulfil/",
        views.ObligationFulfilApi.as_view(),
        name="api-contracts-obligation-fulfil",
    ),
    path(
        "breach-reports/",
        views.BreachReportListCreateApi.as_view(),
        name="api-contracts-breach-reports",
    ),
    path(report, views.BreachReportDetailApi.as_view(), name="api-contracts-breach-report-detail"),
    path("compliance/", views.ComplianceApi.as_view(), name="api-contracts-compliance"),
    path(
        "compliance/weekly/",
        views.ComplianceWeeklyApi.as_view(),
        name="api-contracts-compliance-weekly",
    ),
]
