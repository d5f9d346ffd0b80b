from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    """Demo data and the scale benchmark. Nothing in the product imports this app."""

    name = "devtools"
    verbose_name = "Developer tools"
