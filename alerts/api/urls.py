"""Alerts API routes (docs/product.md §7). Names are ``api-alerts-<thing>``; ids are UUIDs."""

from django.urls import path

from alerts.api.views import AlertListApi, AlertReadApi

urlpatterns = [
    path("", AlertListApi.as_view(), name="api-alerts-list"),
    path("<uuid:alert_id>/read/", AlertReadApi.as_view(), name="api-alerts-read"),
]
