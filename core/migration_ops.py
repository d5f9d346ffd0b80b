"""Schema operations shared by migrations that must stay safe on tables of millions of rows."""

from __future__ import annotations

from django.db import migrations


def drop_column_index(table: str, column: str) -> migrations.RunPython:
    """Drop the single-column index on ``table.column`` (the one Django makes for a foreign
    key), keeping the constraint: for a column that leads another index, which serves the same
    lookups, so that each row written pays one index fewer. ``DROP INDEX CONCURRENTLY`` on
    PostgreSQL, so writers are not locked out; the migration must be non-atomic. Used with
    ``SeparateDatabaseAndState``, since Django's own AlterField would drop and re-validate the
    foreign key too, scanning the whole table under lock."""

    def forwards(apps, schema_editor):
        connection = schema_editor.connection
        with connection.cursor() as cursor:
            constraints = connection.introspection.get_constraints(cursor, table)
        concurrently = " CONCURRENTLY" if connection.vendor == "postgresql" else ""
        for name, info in constraints.items():
            if (
                info["index"]
                and not info["unique"]
                and not info["primary_key"]
                and info["columns"] == [column]
            ):
                schema_editor.execute(
                    f"DROP INDEX{concurrently} IF EXISTS {schema_editor.quote_name(name)}"
                )

    def backwards(apps, schema_editor):
        connection = schema_editor.connection
        concurrently = " CONCURRENTLY" if connection.vendor == "postgresql" else ""
        quote = schema_editor.quote_name
        schema_editor.execute(
            f"CREATE INDEX{concurrently} IF NOT EXISTS {quote(f'{table}_{column}_fk')} "
            f"ON {quote(table)} ({quote(column)})"
        )

    return migrations.RunPython(forwards, backwards, atomic=False)


def drop_pattern_index(table: str, column: str) -> migrations.RunPython:
    """Drop the ``varchar_pattern_ops`` index PostgreSQL gets beside the unique index of a
    unique text column (Django names it ``…_like``): it serves only ``LIKE 'prefix%'``, which
    nothing here asks of identifiers (search is by equality, or ``icontains``, which no b-tree
    serves), and every row written pays for it. Concurrently; other databases have none.
    Django drops it by name ``IF EXISTS`` should the field ever change, so its absence is safe."""

    def forwards(apps, schema_editor):
        connection = schema_editor.connection
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            constraints = connection.introspection.get_constraints(cursor, table)
        for name, info in constraints.items():
            if info["index"] and info["columns"] == [column] and name.endswith("_like"):
                schema_editor.execute(
                    f"DROP INDEX CONCURRENTLY IF EXISTS {schema_editor.quote_name(name)}"
                )

    def backwards(apps, schema_editor):
        connection = schema_editor.connection
        if connection.vendor != "postgresql":
            return
        quote = schema_editor.quote_name
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {quote(f'{table}_{column}_like')} "
            f"ON {quote(table)} ({quote(column)} varchar_pattern_ops)"
        )

    return migrations.RunPython(forwards, backwards, atomic=False)
