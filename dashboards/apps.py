from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    """Backlog dashboards for ICB managers (installed, awaiting their features)."""

    name = "dashboards"
    verbose_name = "Dashboards"
    default_auto_field = "django.db.models.BigAutoField"
