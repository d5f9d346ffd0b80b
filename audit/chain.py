"""The audit trail's hash chain: the one definition of an event's canonical text and hash.

Each event's ``hash`` is the SHA-256 (lower-case hex) of its canonical text, and that text
includes ``prev_hash``, the hash of the event before it in id order (64 zeros for the first).
Changing, deleting or re-ordering any event therefore breaks every link after it, and the
chain head (``AuditChainHead``: last id, last hash, count) shows a deleted tail or an emptied
table. ``manage.py verify_audit`` recomputes every hash in Python from :func:`chain_text`.

The canonical text, version 1, is UTF-8: the line ``interface-audit-v1``, then for each name
of ``CHAIN_FIELDS`` in order a newline and ``name=<length>:<value>``, where ``<length>`` is the
value's length in UTF-8 bytes, so no value can be mistaken for a separator. Values:

- ``id``, ``user_id``, ``patient_id``: decimal digits; an empty value for NULL;
- ``at``: UTC, ``YYYY-MM-DDTHH:MM:SS.ffffffZ`` (always six digits of microseconds);
- ``ip_address``: the address as PostgreSQL's ``host()`` writes it (as stored on SQLite);
  empty for NULL;
- the rest: the stored string as it is.

PostgreSQL computes the same text in SQL (``audit_chain_text``, and inlined in a ``BEFORE
INSERT`` trigger, both built below from the same field list), so every writer
(``audit_record``'s array INSERT, the PTL import's INSERT … SELECT, a COPY) produces a valid chain
without knowing of it. A test proves the two byte-identical (tests/audit/test_chain_postgresql.py).
SQLite (development) has a trigger too, which calls :func:`chain_hash` itself: the audit app
registers it on every SQLite connection as the SQL function ``audit_chain_hash``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import UTC, datetime

CHAIN_VERSION = "interface-audit-v1"
GENESIS_HASH = "0" * 64
CHAIN_FIELDS = (
    "id",
    "at",
    "user_id",
    "patient_id",
    "action",
    "client",
    "object_type",
    "object_id",
    "ip_address",
    "user_agent",
    "detail",
    "prev_hash",
)
# The advisory lock that serialises chain appends (a pair of int4 keys, apart from the queue
# recomputation's class 42101).
CHAIN_LOCK = (42_100, 0)
# Where the chain tip is cached between the rows of one transaction (see the trigger below).
TIP_SETTING = "interface_audit.chain_tip"


def _value_text(name: str, value) -> str:
    if value is None:
        return ""
    if name == "at":
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if name == "ip_address":
        # PostgreSQL's inet type reads back without the mask of a single host.
        return str(value).split("/", 1)[0]
    return str(value)


def chain_text(event: Mapping) -> str:
    """The canonical text of one event: ``event`` maps each of ``CHAIN_FIELDS`` to its value."""
    lines = [CHAIN_VERSION]
    for name in CHAIN_FIELDS:
        value = _value_text(name, event[name])
        lines.append(f"{name}={len(value.encode())}:{value}")
    return "\n".join(lines)


def chain_hash(event: Mapping) -> str:
    return hashlib.sha256(chain_text(event).encode()).hexdigest()


def chain_link(events: list[dict], *, prev_hash: str) -> str:
    """Set ``prev_hash`` and ``hash`` of each event (dicts in id order, ids assigned) following
    ``prev_hash``; returns the hash of the last."""
    for event in events:
        event["prev_hash"] = prev_hash
        event["hash"] = prev_hash = chain_hash(event)
    return prev_hash


# PostgreSQL. Each SQL expression reads one column of the row ``{e}``; together they give exactly
# the text of chain_text().
_SQL_VALUES = {
    "id": "{e}.id::text",
    "at": """to_char({e}.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')""",
    "user_id": "{e}.user_id::text",
    "patient_id": "{e}.patient_id::text",
    "action": "{e}.action",
    "client": "{e}.client",
    "object_type": "{e}.object_type",
    "object_id": "{e}.object_id",
    "ip_address": "host({e}.ip_address)",
    "user_agent": "{e}.user_agent",
    "detail": "{e}.detail",
    "prev_hash": "{e}.prev_hash",
}
assert tuple(_SQL_VALUES) == CHAIN_FIELDS


_SQL_NULLABLE = frozenset({"user_id", "patient_id", "ip_address"})


def _sql_text(row: str, computed: dict[str, str] | None = None) -> str:
    """chain_text() as one SQL expression over the row variable ``row``; ``computed`` names
    variables that already hold some fields' text (each value appears twice, length and text)."""
    computed = computed or {}
    parts = [f"'{CHAIN_VERSION}'"]
    for name, expression in _SQL_VALUES.items():
        value = computed.get(name) or expression.format(e=row)
        if name in _SQL_NULLABLE:
            value = f"coalesce({value}, '')"
        parts.append(f"E'\\n{name}=' || octet_length({value}) || ':' || {value}")
    return "\n        || ".join(parts)


def postgresql_install_sql(*, schema: str) -> str:
    """The functions and triggers of the chain; ``schema`` comes quoted."""
    lock = ", ".join(str(key) for key in CHAIN_LOCK)
    table = f"{schema}.audit_auditevent"
    head = f"{schema}.audit_auditchainhead"
    return f"""
CREATE OR REPLACE FUNCTION {schema}.audit_chain_text(e {table}) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT {_sql_text("e")}
$$;

CREATE OR REPLACE FUNCTION {schema}.audit_chain_hash(e {table}) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT encode(sha256(convert_to({schema}.audit_chain_text(e), 'UTF8')), 'hex')
$$;

-- BEFORE INSERT, each row: under the chain's lock (held to the end of the transaction), the
-- row keeps the id it drew from the sequence if that is past the chain's tip, else takes the id
-- after the tip (so id order is chain order), links to the tip and is hashed. A transaction's first row takes the
-- lock and reads the tip from the chain head; the tip is then kept in a transaction-local
-- setting, which a rolled-back savepoint rolls back with the rows, so the head is written once
-- per statement (below), never once per row. The text is inlined from audit_chain_text: the
-- function calls cost more than the hashing. SECURITY INVOKER and no SET clause, or the
-- setting would not outlive the call.
CREATE OR REPLACE FUNCTION {schema}.audit_chain_link() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    tip text := current_setting('{TIP_SETTING}', true);
    xact text := txid_current()::text;
    tip_id bigint;
    tip_hash text;
    tip_count bigint;
    at_text text := {_SQL_VALUES["at"].format(e="NEW")};
BEGIN
    IF tip IS NOT NULL AND split_part(tip, ':', 1) = xact THEN
        tip_id := split_part(tip, ':', 2)::bigint;
        tip_hash := split_part(tip, ':', 3);
        tip_count := split_part(tip, ':', 4)::bigint;
    ELSE
        PERFORM pg_advisory_xact_lock({lock});
        SELECT last_id, last_hash, count INTO tip_id, tip_hash, tip_count
        FROM {head} WHERE id = 1;
        IF NOT FOUND THEN
            tip_id := 0;
            tip_hash := '{GENESIS_HASH}';
            tip_count := 0;
        END IF;
    END IF;
    IF NEW.id IS NULL OR NEW.id <= tip_id THEN
        -- Drawn before another transaction appended and committed (or from a sequence reset
        -- behind the chain): the next id after the tip, which only the lock's holder assigns.
        NEW.id := tip_id + 1;
    END IF;
    NEW.prev_hash := tip_hash;
    NEW.hash := encode(sha256(convert_to(
        {_sql_text("NEW", {"at": "at_text"})},
        'UTF8')), 'hex');
    PERFORM set_config('{TIP_SETTING}', xact || ':' || NEW.id || ':' || NEW.hash || ':' || (tip_count + 1), true);
    RETURN NEW;
END
$$;

-- AFTER INSERT, each statement: the chain head follows the tip. SECURITY DEFINER, so the app
-- role, which may not write the head table, moves it only through this trigger.
CREATE OR REPLACE FUNCTION {schema}.audit_chain_head_follow() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    tip text := current_setting('{TIP_SETTING}', true);
BEGIN
    IF tip IS NULL OR split_part(tip, ':', 1) <> txid_current()::text THEN
        RETURN NULL;
    END IF;
    INSERT INTO {head} (id, last_id, last_hash, count)
    VALUES (1, split_part(tip, ':', 2)::bigint, split_part(tip, ':', 3),
            split_part(tip, ':', 4)::bigint)
    ON CONFLICT (id) DO UPDATE
    SET last_id = EXCLUDED.last_id, last_hash = EXCLUDED.last_hash, count = EXCLUDED.count;
    RETURN NULL;
END
$$;

-- TRUNCATE skips row triggers, so it is refused on its own. Not for a superuser: one can switch
-- every trigger off anyway (session_replication_role), and Django's test flush runs as one;
-- the chain head still shows the emptied table to verify_audit.
CREATE OR REPLACE FUNCTION {schema}.audit_no_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user) THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'audit events are append-only: TRUNCATE of % refused', TG_TABLE_NAME;
END
$$;

DROP TRIGGER IF EXISTS audit_auditevent_chain_link ON {table};
CREATE TRIGGER audit_auditevent_chain_link BEFORE INSERT ON {table}
    FOR EACH ROW EXECUTE FUNCTION {schema}.audit_chain_link();
DROP TRIGGER IF EXISTS audit_auditevent_chain_head ON {table};
CREATE TRIGGER audit_auditevent_chain_head AFTER INSERT ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION {schema}.audit_chain_head_follow();
DROP TRIGGER IF EXISTS audit_auditevent_no_truncate ON {table};
CREATE TRIGGER audit_auditevent_no_truncate BEFORE TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION {schema}.audit_no_truncate();
DROP TRIGGER IF EXISTS audit_auditchainhead_no_truncate ON {head};
CREATE TRIGGER audit_auditchainhead_no_truncate BEFORE TRUNCATE ON {head}
    FOR EACH STATEMENT EXECUTE FUNCTION {schema}.audit_no_truncate();
"""  # noqa: S608 - our own names and constants; the schema comes quoted


def postgresql_uninstall_sql(*, schema: str) -> str:
    table = f"{schema}.audit_auditevent"
    head = f"{schema}.audit_auditchainhead"
    return f"""
DROP TRIGGER IF EXISTS audit_auditevent_chain_link ON {table};
DROP TRIGGER IF EXISTS audit_auditevent_chain_head ON {table};
DROP TRIGGER IF EXISTS audit_auditevent_no_truncate ON {table};
DROP TRIGGER IF EXISTS audit_auditchainhead_no_truncate ON {head};
DROP FUNCTION IF EXISTS {schema}.audit_chain_link();
DROP FUNCTION IF EXISTS {schema}.audit_chain_head_follow();
DROP FUNCTION IF EXISTS {schema}.audit_no_truncate();
DROP FUNCTION IF EXISTS {schema}.audit_chain_hash({table});
DROP FUNCTION IF EXISTS {schema}.audit_chain_text({table});
"""


def postgresql_backfill_sql(*, schema: str) -> str:
    """Chain the events written before the chain existed, in id order, and set the head. The
    append-only trigger is switched off for the length of it (the migration runs as the table's
    owner, in one transaction)."""
    table = f"{schema}.audit_auditevent"
    head = f"{schema}.audit_auditchainhead"
    return f"""
ALTER TABLE {table} DISABLE TRIGGER audit_auditevent_append_only;
DO $$
DECLARE
    e {table};
    prev text := '{GENESIS_HASH}';
    n bigint := 0;
    last bigint := 0;
BEGIN
    FOR e IN SELECT * FROM {table} ORDER BY id LOOP
        e.prev_hash := prev;
        e.hash := {schema}.audit_chain_hash(e);
        UPDATE {table} SET prev_hash = e.prev_hash, hash = e.hash WHERE id = e.id;
        prev := e.hash;
        n := n + 1;
        last := e.id;
    END LOOP;
    IF n > 0 THEN
        INSERT INTO {head} (id, last_id, last_hash, count) VALUES (1, last, prev, n)
        ON CONFLICT (id) DO UPDATE
        SET last_id = EXCLUDED.last_id, last_hash = EXCLUDED.last_hash, count = EXCLUDED.count;
    END IF;
END
$$;
ALTER TABLE {table} ENABLE TRIGGER audit_auditevent_append_only;
"""  # noqa: S608 - our own names and constants


# SQLite (development): an AFTER INSERT trigger links each row to the chain head and hashes it
# with chain_hash(), registered on the connection by sqlite_register(); then moves the head.
_SQLITE_TIP = (
    f"coalesce((SELECT last_hash FROM audit_auditchainhead WHERE id = 1), '{GENESIS_HASH}')"  # noqa: S608 - a constant
)
SQLITE_INSTALL_SQL = f"""
CREATE TRIGGER IF NOT EXISTS audit_auditevent_chain_link AFTER INSERT ON audit_auditevent
FOR EACH ROW BEGIN
    UPDATE audit_auditevent
    SET prev_hash = {_SQLITE_TIP},
        hash = audit_chain_hash({", ".join(f"NEW.{name}" for name in CHAIN_FIELDS[:-1])}, {_SQLITE_TIP})
    WHERE id = NEW.id;
    INSERT INTO audit_auditchainhead (id, last_id, last_hash, count)
    SELECT 1, id, hash, 1 FROM audit_auditevent WHERE id = NEW.id
    ON CONFLICT (id) DO UPDATE SET last_id = excluded.last_id, last_hash = excluded.last_hash,
        count = audit_auditchainhead.count + 1;
END
"""  # noqa: S608 - our own names and constants
SQLITE_UNINSTALL_SQL = "DROP TRIGGER IF EXISTS audit_auditevent_chain_link"


def sqlite_chain_hash(*values) -> str:
    """chain_hash() of a row as SQLite stores it: ``at`` is UTC text without an offset."""
    event = dict(zip(CHAIN_FIELDS, values, strict=True))
    at = datetime.fromisoformat(event["at"])
    event["at"] = at if at.tzinfo else at.replace(tzinfo=UTC)
    return chain_hash(event)


def sqlite_register(sender=None, *, connection, **kwargs) -> None:
    """``connection_created`` receiver: give a SQLite connection ``audit_chain_hash``."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "audit_chain_hash", len(CHAIN_FIELDS), sqlite_chain_hash, deterministic=True
        )
