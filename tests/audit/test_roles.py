"""The app's PostgreSQL role may INSERT and SELECT audit events and nothing more: no UPDATE,
DELETE or TRUNCATE, no write of the chain head, no switching triggers off. Proved with
``SET LOCAL ROLE`` inside the test's transaction; the role is created there if this cluster
lacks it (CI creates it for good: .ci/run)."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, connection, transaction

from audit.models import AuditChainHead, AuditEvent
from audit.roles import app_role_grant, app_role_grant_after_migrate
from tests.audit.helpers import record_events, verify
from tests.factories import PatientFactory

ROLE = "interface_app"


@pytest.fixture
def app_role(postgres):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [ROLE])
        if cursor.fetchone() is None:
            cursor.execute(f"CREATE ROLE {ROLE} NOLOGIN")  # undone with the test's transaction
    app_role_grant(connection, ROLE)
    return ROLE


@contextmanager
def as_app_role():
    """The block runs as the app role, in a savepoint; the role ends with it either way."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL ROLE {ROLE}")
        yield
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")


def run_as_app_role(sql: str, params: list | None = None) -> None:
    with as_app_role(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_postgres_the_app_role_writes_and_reads_audit_events_and_the_chain_follows(app_role):
    record_events(1)
    with as_app_role():
        record_events(2)
        assert AuditEvent.objects.count() == 3
    assert AuditChainHead.objects.get().count == 3
    assert "Audit chain intact: 3 event(s)" in verify()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditevent SET detail = 'x'",
        "DELETE FROM audit_auditevent",
        "TRUNCATE audit_auditevent",
    ],
)
def test_postgres_the_app_role_may_not_change_or_remove_audit_events(app_role, sql):
    record_events(1)
    with pytest.raises(DatabaseError, match="permission denied for table audit_auditevent"):
        run_as_app_role(sql)
    assert AuditEvent.objects.count() == 1


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditchainhead SET count = 0",
        "DELETE FROM audit_auditchainhead",
        "TRUNCATE audit_auditchainhead",
        "INSERT INTO audit_auditchainhead (id, last_id, last_hash, count) VALUES (2, 0, '', 0)",
    ],
)
def test_postgres_the_app_role_may_not_write_the_chain_head(app_role, sql):
    with pytest.raises(DatabaseError, match="permission denied for table audit_auditchainhead"):
        run_as_app_role(sql)


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("SET session_replication_role = replica", "permission denied"),
        ("ALTER TABLE audit_auditevent DISABLE TRIGGER ALL", "must be owner"),
        ("DROP TRIGGER audit_auditevent_append_only ON audit_auditevent", "must be owner"),
    ],
)
def test_postgres_the_app_role_may_not_switch_the_triggers_off(app_role, sql, message):
    with pytest.raises(DatabaseError, match=message):
        run_as_app_role(sql)


def test_postgres_the_app_role_still_writes_the_other_tables(app_role):
    patient = PatientFactory()
    run_as_app_role("UPDATE directory_patient SET given_name = 'Ann' WHERE id = %s", [patient.pk])
    patient.refresh_from_db()
    assert patient.given_name == "Ann"


def test_postgres_granting_again_changes_nothing(app_role):
    app_role_grant(connection, ROLE)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT has_table_privilege(%s, 'audit_auditevent', 'INSERT'), "
            "has_table_privilege(%s, 'audit_auditevent', 'UPDATE')",
            [ROLE, ROLE],
        )
        assert cursor.fetchone() == (True, False)


def test_postgres_a_missing_app_role_is_named(postgres):
    with pytest.raises(ImproperlyConfigured, match="DATABASE_APP_ROLE: there is no PostgreSQL"):
        app_role_grant(connection, "no_such_role_for_interface")


def test_postgres_after_migrate_the_role_named_by_the_setting_is_granted(app_role, settings):
    with connection.cursor() as cursor:
        cursor.execute(f"REVOKE ALL ON directory_patient FROM {ROLE}")
    settings.DATABASE_APP_ROLE = ""
    app_role_grant_after_migrate(sender=None, using="default")
    with connection.cursor() as cursor:
        cursor.execute("SELECT has_table_privilege(%s, 'directory_patient', 'SELECT')", [ROLE])
        assert cursor.fetchone() == (False,)
    settings.DATABASE_APP_ROLE = ROLE
    app_role_grant_after_migrate(sender=None, using="default")
    with connection.cursor() as cursor:
        cursor.execute("SELECT has_table_privilege(%s, 'directory_patient', 'SELECT')", [ROLE])
        assert cursor.fetchone() == (True,)
