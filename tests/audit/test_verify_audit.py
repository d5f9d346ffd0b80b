"""The hash chain and ``verify_audit``: an event altered, deleted or truncated directly in the
database is found and named, and the command exits non-zero.

These run on whichever database the suite has. On PostgreSQL (CI) the tampering is done
exactly as an owner of the database could: as the tables' owner, with every trigger switched
off by ``session_replication_role = replica``; on SQLite, which has no triggers, plainly."""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import pairwise

import pytest

from audit import chain
from audit.models import AuditChainHead, AuditEvent
from tests.audit.helpers import as_owner_with_triggers_off, record_events, verify, verify_fails

pytestmark = pytest.mark.django_db


def test_each_event_links_to_the_one_before_it():
    record_events(2)
    record_events(2)
    rows = list(AuditEvent.objects.order_by("id").values(*chain.CHAIN_FIELDS, "hash"))
    assert rows[0]["prev_hash"] == chain.GENESIS_HASH
    for before, after in pairwise(rows):
        assert after["prev_hash"] == before["hash"]
    assert all(row["hash"] == chain.chain_hash(row) for row in rows)


def test_the_chain_head_follows_the_newest_event():
    ids = record_events(3)
    head = AuditChainHead.objects.get()
    newest = AuditEvent.objects.get(id=ids[-1])
    assert (head.last_id, head.last_hash, head.count) == (newest.id, newest.hash, 3)


def test_an_intact_chain_prints_its_head_hash_and_count():
    ids = record_events(3)
    head = AuditChainHead.objects.get()
    out = verify()
    assert "Audit chain intact: 3 event(s)" in out
    assert f"head event {ids[-1]} hash {head.last_hash}" in out


def test_an_empty_trail_is_intact():
    assert "Audit chain intact: 0 event(s); no events yet" in verify()


def test_a_row_altered_in_the_database_is_named():
    ids = record_events(4)
    with as_owner_with_triggers_off() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET detail = 'nothing to see' WHERE id = %s", [ids[1]]
        )
    error = verify_fails()
    assert f"broken at event {ids[1]}: event {ids[1]} was altered" in error


def test_a_row_deleted_from_the_middle_names_the_event_that_no_longer_follows():
    ids = record_events(4)
    with as_owner_with_triggers_off() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [ids[1]])
    error = verify_fails()
    assert f"event {ids[2]} does not follow event {ids[0]}: an event between them was deleted" in (
        error
    )


def test_the_first_event_deleted_is_named_by_the_one_now_first():
    ids = record_events(3)
    with as_owner_with_triggers_off() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [ids[0]])
    assert f"event {ids[1]} does not follow the start of the chain" in verify_fails()


def test_the_newest_event_deleted_is_named_from_the_chain_head():
    ids = record_events(3)
    with as_owner_with_triggers_off() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [ids[-1]])
    error = verify_fails()
    assert (
        f"broken at event {ids[-1]}: event {ids[-1]}, the newest the chain head records, is "
        in (error)
    )
    assert f"the table ends at event {ids[-2]}" in error


def test_a_truncated_table_is_noticed():
    ids = record_events(3)
    with as_owner_with_triggers_off() as cursor:
        if cursor.db.vendor == "postgresql":
            # The events' deferred foreign-key checks first: TRUNCATE refuses to run past them.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("TRUNCATE audit_auditevent")
        else:
            cursor.execute("DELETE FROM audit_auditevent")
    error = verify_fails()
    assert f"event {ids[-1]}, the newest the chain head records, is missing" in error
    assert "ends at no event at all" in error


def test_an_event_appended_by_hand_past_the_head_is_named():
    record_events(2)
    head = AuditChainHead.objects.get()
    forged = {
        "id": head.last_id + 10,
        "at": AuditEvent.objects.get(id=head.last_id).at,
        "user_id": None,
        "patient_id": None,
        "action": "view",
        "client": "command",
        "object_type": "patient",
        "object_id": "",
        "ip_address": None,
        "user_agent": "",
        "detail": "",
    }
    chain.chain_link([forged], prev_hash=head.last_hash)
    with as_owner_with_triggers_off() as cursor:
        cursor.execute(
            "INSERT INTO audit_auditevent (id, at, user_id, patient_id, action, client, "
            "object_type, object_id, ip_address, user_agent, detail, prev_hash, hash) "
            "VALUES (%s, %s, NULL, NULL, 'view', 'command', 'patient', '', NULL, '', '', %s, %s)",
            [forged["id"], forged["at"], forged["prev_hash"], forged["hash"]],
        )
    assert f"event {forged['id']} is past the chain head (event {head.last_id})" in verify_fails()


def test_a_chain_rewritten_whole_fails_against_the_head_recorded_before():
    ids = record_events(3)
    recorded = AuditChainHead.objects.get().last_hash
    # Someone owning the database rewrites the first event and every hash after it, head too.
    rows = list(AuditEvent.objects.order_by("id").values(*chain.CHAIN_FIELDS))
    rows[0]["detail"] = "rewritten"
    last = chain.chain_link(rows, prev_hash=chain.GENESIS_HASH)
    with as_owner_with_triggers_off() as cursor:
        for row in rows:
            cursor.execute(
                "UPDATE audit_auditevent SET detail = %s, prev_hash = %s, hash = %s WHERE id = %s",
                [row["detail"], row["prev_hash"], row["hash"], row["id"]],
            )
        cursor.execute("UPDATE audit_auditchainhead SET last_hash = %s", [last])

    assert "Audit chain intact" in verify()  # consistent in itself...
    error = verify_fails("--recorded-head", recorded)  # ...but not the chain recorded before
    assert f"--recorded-head: no event on the chain has the hash {recorded}" in error
    assert ids  # the events are all still there


def test_the_head_recorded_earlier_is_found_on_a_chain_grown_since():
    record_events(2)
    recorded = AuditChainHead.objects.get().last_hash
    record_events(2)
    assert "Audit chain intact: 4 event(s)" in verify("--recorded-head", recorded)


def test_values_that_look_like_separators_cannot_forge_another_event_text():
    base = {**dict.fromkeys(chain.CHAIN_FIELDS, ""), "at": datetime(2026, 4, 1, tzinfo=UTC)}
    plain = {**base, "object_id": "a", "detail": "b"}
    shifted = {**base, "object_id": "a\ndetail=1:b", "detail": ""}
    assert chain.chain_text(plain) != chain.chain_text(shifted)
