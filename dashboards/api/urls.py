"""Dashboards API routes (docs/product.md §7), mounted at ``/api/v1/dashboard/``. Names are
``api-dashboards-<thing>``."""

from django.urls import path

from dashboards.api import views

urlpatterns = [
    path("backlog/", views.DashboardBacklogApi.as_view(), name="api-dashboards-backlog"),
    path("services/", views.DashboardServicesApi.as_view(), name="api-dashboards-services"),
    path("forecast/", views.DashboardForecastApi.as_view(), name="api-dashboards-forecast"),
    path("trends/", views.DashboardTrendsApi.as_view(), name="api-dashboards-trends"),
]
