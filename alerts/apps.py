from django.apps import AppConfig


class AlertsConfig(AppConfig):
    """The alerts inbox every app raises alerts into (docs/alerts.md)."""

    name = "alerts"
    verbose_name = "Alerts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Register, explicitly, the two email sweeps (each alert as it comes, the daily
        digest) and the inbox's navigation entry."""
        from alerts.services import alerts_email_digest_sweep, alerts_email_immediate_sweep
        from alerts.web.header import alerts_navigation
        from core.navigation import register_navigation
        from core.sweeps import register_sweep

        register_sweep("alerts.email_immediate", alerts_email_immediate_sweep)
        register_sweep("alerts.email_digest", alerts_email_digest_sweep)
        register_navigation(alerts_navigation)
