from django.apps import AppConfig
from django.db import connections
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate


class AuditConfig(AppConfig):
    """The audit trail of every read and change of patient data."""

    name = "audit"
    verbose_name = "Audit trail"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from audit.chain import sqlite_register
        from audit.roles import app_role_grant_after_migrate
        from audit.web.navigation import audit_navigation
        from core.navigation import register_navigation

        # Once per migrate (sent with this app as sender), after every app's tables exist.
        post_migrate.connect(
            app_role_grant_after_migrate, sender=self, dispatch_uid="audit-app-role-grant"
        )
        register_navigation(audit_navigation)
        # SQLite's chain trigger hashes in Python (audit/chain.py): every connection needs it.
        connection_created.connect(sqlite_register, dispatch_uid="audit-sqlite-chain-hash")
        for connection in connections.all(initialized_only=True):
            if connection.connection is not None:
                sqlite_register(connection=connection)
