"""The inbox's pages under /alerts/ (docs/alerts.md). Ids in URLs are UUIDs."""

from django.urls import path

from alerts.web import views

app_name = "alerts"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("read-all/", views.read_all, name="read-all"),
    path("preferences/", views.preferences, name="preferences"),
    path("<uuid:alert_id>/read/", views.read, name="read"),
]
