"""The app's own PostgreSQL role (``DATABASE_APP_ROLE``): it reads and writes every table but
may only INSERT and SELECT audit events, and never write the chain head itself.

Migrations run as the tables' owner; the web, worker and beat processes connect as the app
role, so nothing the app runs (nor anyone holding its credentials) can UPDATE, DELETE or
TRUNCATE the audit trail, disable or drop its triggers, or switch triggers off with
``session_replication_role`` (docs/operations.md, "Database roles"). After every ``migrate``
the audit app's ``post_migrate`` handler calls :func:`app_role_grant`, so a table a later
migration adds is covered too; every statement is idempotent.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connections

AUDIT_TABLE = "audit_auditevent"
HEAD_TABLE = "audit_auditchainhead"


def app_role_grant(connection, role: str) -> None:
    """Grant ``role`` the app's privileges on this database's schema, then take back every
    write of the audit trail but INSERT."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        if cursor.fetchone() is None:
            raise ImproperlyConfigured(
                f"DATABASE_APP_ROLE: there is no PostgreSQL role {role!r}; create it first "
                "(deploy/postgresql/app-role.sql, docs/operations.md)"
            )
        cursor.execute("SELECT current_schema()")
        (schema_name,) = cursor.fetchone()
        quote = connection.ops.quote_name
        app, schema = quote(role), quote(schema_name)
        audit, head = f"{schema}.{quote(AUDIT_TABLE)}", f"{schema}.{quote(HEAD_TABLE)}"
        for statement in (
            f"GRANT USAGE ON SCHEMA {schema} TO {app}",
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {app}",
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {app}",
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} "
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {app}",
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT USAGE, SELECT ON SEQUENCES TO {app}",
            # docs/product.md §1: no way to edit or delete an audit event.
            f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {audit} FROM {app}",
            # The head moves only through the chain's SECURITY DEFINER trigger.
            f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {head} FROM {app}",
        ):
            cursor.execute(statement)


def app_role_grant_after_migrate(sender, *, using: str = "default", **kwargs) -> None:
    """``post_migrate`` receiver: on PostgreSQL, when ``DATABASE_APP_ROLE`` is set."""
    role = getattr(settings, "DATABASE_APP_ROLE", "")
    connection = connections[using]
    if role and connection.vendor == "postgresql":
        app_role_grant(connection, role)
