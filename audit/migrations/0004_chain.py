"""The audit trail's hash chain (audit/chain.py): on PostgreSQL the triggers that link and hash
every inserted event and refuse TRUNCATE, on SQLite the trigger that does the same with the
Python function the audit app registers; everywhere, the events already written are chained in
id order first and the chain head is set. docs/product.md §1: an audit event can be neither edited nor
deleted, and now neither without it showing."""

from django.db import migrations

from audit import chain

CHUNK = 5_000


def _schema(schema_editor) -> str:
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_encoding")
        (encoding,) = cursor.fetchone()
        if encoding.upper() not in ("UTF8", "UTF-8"):
            # The chain hashes UTF-8 text; PostgreSQL's octet_length must count UTF-8 bytes.
            raise RuntimeError(f"the audit chain needs a UTF8 database, not {encoding}")
        cursor.execute("SELECT current_schema()")
        (schema,) = cursor.fetchone()
    return connection.ops.quote_name(schema)


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema = _schema(schema_editor)
        schema_editor.execute(chain.postgresql_install_sql(schema=schema), None)
        schema_editor.execute(chain.postgresql_backfill_sql(schema=schema), None)
        return
    AuditEvent = apps.get_model("audit", "AuditEvent")
    AuditChainHead = apps.get_model("audit", "AuditChainHead")
    prev, last_id, count = chain.GENESIS_HASH, 0, 0
    while True:
        rows = list(
            AuditEvent.objects.filter(id__gt=last_id)
            .order_by("id")
            .values("id", *chain.CHAIN_FIELDS[1:-1])[:CHUNK]
        )
        if not rows:
            break
        prev = chain.chain_link(rows, prev_hash=prev)
        for row in rows:
            AuditEvent.objects.filter(id=row["id"]).update(
                prev_hash=row["prev_hash"], hash=row["hash"]
            )
        last_id, count = rows[-1]["id"], count + len(rows)
    if count:
        AuditChainHead.objects.update_or_create(
            id=1, defaults={"last_id": last_id, "last_hash": prev, "count": count}
        )
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(chain.SQLITE_INSTALL_SQL, None)


def reverse(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema = _schema(schema_editor)
        schema_editor.execute(chain.postgresql_uninstall_sql(schema=schema), None)
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(chain.SQLITE_UNINSTALL_SQL, None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_chain_fields")]

    operations = [migrations.RunPython(forward, reverse)]
