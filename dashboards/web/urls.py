"""The dashboard pages, mounted at ``/dashboard/``. Every page's tables are CSV too
(``?format=csv&table=<name>``)."""

from django.urls import path

from dashboards.web import views

app_name = "dashboards"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("services/", views.services, name="services"),
    path("forecast/", views.forecast, name="forecast"),
    path("report/", views.report, name="report"),
]
