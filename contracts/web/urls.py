"""The contracts pages, mounted at /contracts/. Ids in URLs are UUIDs."""

from django.urls import path

from contracts.web import views

app_name = "contracts"

obligation = "obligations/<uuid:obligation_id>/"
report = "breach-reports/<uuid:report_id>/"

urlpatterns = [
    path("obligations/", views.obligation_list, name="obligations"),
    path(obligation, views.obligation_detail, name="obligation-detail"),
    path(f"{obligation}fulfil/", views.obligation_fulfil_view, name="obligation-fulfil"),
    path("discharges/new/", views.discharge_new, name="discharge-new"),
    path("attendances/new/", views.attendance_new, name="attendance-new"),
    path("breach-reports/", views.breach_report_list, name="breach-reports"),
    path("breach-reports/new/", views.breach_report_new, name="breach-report-new"),
    path(report, views.breach_report_detail, name="breach-report-detail"),
    path(f"{report}letter/", views.breach_report_letter, name="breach-report-letter"),
    path(f"{report}print/", views.breach_report_print, name="breach-report-print"),
    path(f"{report}download/", views.breach_report_download, name="breach-report-download"),
    path("compliance/", views.compliance, name="compliance"),
]
