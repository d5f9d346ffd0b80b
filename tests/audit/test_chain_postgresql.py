"""PostgreSQL computes the chain in a trigger: byte for byte the text Python verifies, for every
writer, in id order however transactions interleave; and TRUNCATE is refused."""

from __future__ import annotations

import threading

import pytest
from django.db import DatabaseError, connection, connections, transaction

from audit import chain
from audit.models import AuditAction, AuditChainHead, AuditClient, AuditEvent
from audit.services import AuditContext, audit_record
from tests.audit.helpers import record_events, verify, verify_fails
from tests.conftest import require
from tests.factories import PatientFactory, UserFactory

OWNER_ROLE = "interface_test_owner"


def test_postgres_the_trigger_writes_the_text_python_verifies(postgres):
    user = UserFactory()
    patient = PatientFactory()
    audit_record(
        actor=user,
        context=AuditContext(
            client=AuditClient.API, ip_address="2001:db8::7", user_agent="Zoë's browser ✓"
        ),
        action=AuditAction.EXPORT,
        object_type="referral",
        patient_ids=[patient.pk, None],
        object_ids=["a|b=1:c", ""],
        detail="naïve\nline two\ttab",
    )
    rows = list(AuditEvent.objects.order_by("id").values(*chain.CHAIN_FIELDS, "hash"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT audit_chain_text(e) FROM audit_auditevent e ORDER BY id")
        database_texts = [text for (text,) in cursor.fetchall()]
    assert database_texts == [chain.chain_text(row) for row in rows]
    assert [row["hash"] for row in rows] == [chain.chain_hash(row) for row in rows]


def test_postgres_a_plain_insert_is_linked_and_hashed_by_the_trigger(postgres):
    ids = record_events(1)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_auditevent (at, action, client, object_type, object_id, "
            "user_agent, detail, prev_hash, hash) "
            "VALUES (now(), 'view', 'command', 'patient', '', '', '', 'forged', 'forged')"
        )
    newest = AuditEvent.objects.order_by("id").last()
    assert newest.prev_hash == AuditEvent.objects.get(id=ids[0]).hash
    assert newest.hash != "forged"
    assert "Audit chain intact: 2 event(s)" in verify()


def test_postgres_an_id_drawn_before_the_lock_moves_past_the_chain_head(postgres):
    ids = record_events(2)
    with connection.cursor() as cursor:
        # As a transaction that drew its id before another appended and committed would.
        cursor.execute(
            "INSERT INTO audit_auditevent (id, at, action, client, object_type, object_id, "
            "user_agent, detail, prev_hash, hash) "
            "VALUES (%s, now(), 'view', 'command', 'patient', '', '', '', '', '') RETURNING id",
            [ids[0]],
        )
        (new_id,) = cursor.fetchone()
    assert new_id > ids[-1]
    assert AuditChainHead.objects.get().last_id == new_id
    assert "Audit chain intact: 3 event(s)" in verify()


def test_postgres_truncate_is_refused_to_an_owner_who_is_not_a_superuser(postgres):
    record_events(1)
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [OWNER_ROLE])
        if cursor.fetchone() is None:
            cursor.execute(f"CREATE ROLE {OWNER_ROLE} NOLOGIN")  # undone with the test
        cursor.execute(f"GRANT TRUNCATE ON audit_auditevent, audit_auditchainhead TO {OWNER_ROLE}")
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    for table in ("audit_auditevent", "audit_auditchainhead"):
        with (
            pytest.raises(DatabaseError, match=f"append-only: TRUNCATE of {table} refused"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(f"SET LOCAL ROLE {OWNER_ROLE}")
            cursor.execute(f"TRUNCATE {table}")
    assert AuditEvent.objects.count() == 1


def _audit_view(patient_id: int) -> None:
    audit_record(
        actor=None,
        context=AuditContext(client=AuditClient.TASK),
        action=AuditAction.VIEW,
        object_type="patient",
        patient_ids=[patient_id],
    )


def _in_thread(work) -> threading.Thread:
    def run():
        try:
            work()
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def _wait_for_a_blocked_writer() -> None:
    with connection.cursor() as cursor:
        for _ in range(100):
            cursor.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
            )
            if cursor.fetchone()[0]:
                return
            threading.Event().wait(0.05)
    raise AssertionError("the second writer never waited for the chain's lock")


@pytest.mark.django_db(transaction=True)
def test_postgres_concurrent_writers_append_to_one_chain_in_id_order():
    require(connection.vendor == "postgresql", "needs PostgreSQL: set DATABASE_URL")
    first, again, second = PatientFactory(), PatientFactory(), PatientFactory()
    holding, go_on = threading.Event(), threading.Event()

    def holder():
        with transaction.atomic():
            _audit_view(first.pk)
            holding.set()
            go_on.wait(10)
            # An id drawn after the waiter drew its own: the waiter's must move past it.
            _audit_view(again.pk)

    holder_thread = _in_thread(holder)
    assert holding.wait(10)
    waiter_thread = _in_thread(lambda: _audit_view(second.pk))
    _wait_for_a_blocked_writer()
    go_on.set()
    holder_thread.join(15)
    waiter_thread.join(15)

    events = list(AuditEvent.objects.order_by("id").values_list("patient_id", flat=True))
    assert events == [first.pk, again.pk, second.pk]
    assert "Audit chain intact: 3 event(s)" in verify()


def test_postgres_after_a_truncate_restarting_ids_writes_go_on_and_verify_names_the_gap(postgres):
    ids = record_events(2)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        # As a superuser may (the benchmark's reset does): ids restart behind the chain's tip.
        cursor.execute("TRUNCATE audit_auditevent RESTART IDENTITY")
    after = record_events(1)
    assert after == [ids[-1] + 1]
    assert f"event {after[0]} does not follow the start of the chain" in verify_fails()
