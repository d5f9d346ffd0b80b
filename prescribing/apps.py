from django.apps import AppConfig


class PrescribingConfig(AppConfig):
    name = "prescribing"
    default_auto_field = "django.db.models.BigAutoField"
