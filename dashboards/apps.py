from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    """Backlog dashboards for ICB managers and administrators (docs/dashboards.md)."""

    name = "dashboards"
    verbose_name = "Dashboards"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Register, explicitly, the daily snapshot's sweep, the navigation entry and the home
        page card. The dashboards grant sight of no patient, so no access rule."""
        from core.home import register_home_section
        from core.navigation import register_navigation
        from core.sweeps import register_sweep
        from dashboards.services import snapshot_sweep
        from dashboards.web.home import dashboards_home
        from dashboards.web.navigation import dashboards_navigation

        register_sweep("dashboards.daily_snapshot", snapshot_sweep)
        register_navigation(dashboards_navigation)
        register_home_section(dashboards_home)
