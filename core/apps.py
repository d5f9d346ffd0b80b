from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every app shares and none owns: API conventions, keyset cursors, errors, CSV
    reading, navigation and pseudonyms. It has no models."""

    name = "core"
    verbose_name = "Core"
