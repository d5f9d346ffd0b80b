from django.apps import AppConfig


class AlertsConfig(AppConfig):
    """The alerts inbox every app raises alerts into (installed, awaiting its features)."""

    name = "alerts"
    verbose_name = "Alerts"
    default_auto_field = "django.db.models.BigAutoField"
