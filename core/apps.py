from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every app shares and none owns: API conventions, keyset cursors, errors, CSV
    reading, navigation, pseudonyms, the sweep registry and the API's Idempotency-Key records
    (its one table)."""

    name = "core"
    verbose_name = "Core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Register core's sweep (expired Idempotency-Key records) and the statement timeout."""
        from core.idempotency import idempotency_records_expire
        from core.sweeps import register_sweep

        register_sweep("core.idempotency_expired", idempotency_records_expire)

        # Every PostgreSQL session gets the statement_timeout of its process (core/db.py).
        from django.db.backends.signals import connection_created

        from core.db import statement_timeout_set

        connection_created.connect(statement_timeout_set, dispatch_uid="core.statement_timeout")
