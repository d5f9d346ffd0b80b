from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    """Organisations, users, patients, and the registry of who may see a patient."""

    name = "directory"
    verbose_name = "Directory"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from core.home import register_home_section
        from core.navigation import register_navigation
        from directory.access import register_patient_rule, registered_practice_rule
        from directory.web.home import directory_home
        from directory.web.navigation import directory_navigation

        register_patient_rule(registered_practice_rule)
        register_navigation(directory_navigation)
        register_home_section(directory_home)
