"""Helpers of the audit tests: events written the way the app writes them, and the database
reached behind the app's back, as its owner could."""

from __future__ import annotations

import io
from contextlib import contextmanager

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from audit import chain
from audit.models import AuditAction, AuditClient, AuditEvent
from audit.services import AuditContext, audit_record
from tests.factories import GPFactory, PatientFactory


def record_events(n: int = 3, *, actor=None, detail: str = "") -> list[int]:
    """``n`` events through ``audit_record`` (one per new patient); their ids, oldest first."""
    patients = PatientFactory.create_batch(n)
    audit_record(
        actor=actor or GPFactory(),
        context=AuditContext(
            client=AuditClient.BROWSER, ip_address="192.0.2.10", user_agent="pytest"
        ),
        action=AuditAction.VIEW,
        object_type="patient",
        patient_ids=[p.pk for p in patients],
        object_ids=[str(p.uuid) for p in patients],
        detail=detail,
    )
    return list(AuditEvent.objects.order_by("id").values_list("id", flat=True))


@contextmanager
def as_owner_with_triggers_off():
    """A cursor that bypasses the app: on PostgreSQL, as the tables' owner (the test connection
    is a superuser) with every trigger switched off by ``session_replication_role = replica``,
    the append-only and chain triggers included; on SQLite the chain trigger dropped meanwhile
    (inside the test's transaction)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        else:
            cursor.execute(chain.SQLITE_UNINSTALL_SQL)
        try:
            yield cursor
        finally:
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL session_replication_role = origin")
            else:
                cursor.execute(chain.SQLITE_INSTALL_SQL)


def verify(*options: str) -> str:
    out = io.StringIO()
    call_command("verify_audit", "--no-progress", *options, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def verify_fails(*options: str) -> str:
    """verify_audit's error; it must exit non-zero."""
    with pytest.raises(CommandError) as caught:
        verify(*options)
    assert caught.value.returncode == 1
    return str(caught.value)
