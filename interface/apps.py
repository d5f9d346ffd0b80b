from django.apps import AppConfig


class InterfaceConfig(AppConfig):
    """The shared directory: organisations, users, patients and the audit trail."""

    name = "interface"
    verbose_name = "Directory"
    default_auto_field = "django.db.models.BigAutoField"
