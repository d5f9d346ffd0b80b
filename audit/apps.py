from django.apps import AppConfig


class AuditConfig(AppConfig):
    """The audit trail of every read and change of patient data."""

    name = "audit"
    verbose_name = "Audit trail"
    default_auto_field = "django.db.models.BigAutoField"
