"""Schema operations shared by migrations that must stay safe on tables of millions of rows."""

from __future__ import annotations

from collections.abc import Callable

from django.db import migrations


def _drop_indexes(
    table: str, matches: Callable[[str, dict], bool], recreate: str, *, postgresql_only: bool
) -> migrations.RunPython:
    """Drop each index of ``table`` that ``matches(name, info)`` (Django's introspection),
    ``CONCURRENTLY`` on PostgreSQL so writers are not locked out (the migration must be
    non-atomic); backwards, ``CREATE INDEX … recreate`` (a name and column list)."""

    def applies(connection) -> bool:
        return connection.vendor == "postgresql" or not postgresql_only

    def concurrently(connection) -> str:
        return " CONCURRENTLY" if connection.vendor == "postgresql" else ""

    def forwards(apps, schema_editor):
        connection = schema_editor.connection
        if not applies(connection):
            return
        with connection.cursor() as cursor:
            constraints = connection.introspection.get_constraints(cursor, table)
        for name, info in constraints.items():
            if info["index"] and matches(name, info):
                schema_editor.execute(
                    f"DROP INDEX{concurrently(connection)} IF EXISTS "
                    f"{schema_editor.quote_name(name)}"
                )

    def backwards(apps, schema_editor):
        connection = schema_editor.connection
        if applies(connection):
            schema_editor.execute(
                f"CREATE INDEX{concurrently(connection)} IF NOT EXISTS {recreate}"
            )

    return migrations.RunPython(forwards, backwards, atomic=False)


def drop_column_index(table: str, column: str) -> migrations.RunPython:
    """Drop the single-column index on ``table.column`` (the one Django makes for a foreign
    key), keeping the constraint: for a column that leads another index, which serves the same
    lookups, so that each row written pays one index fewer. Used with
    ``SeparateDatabaseAndState``, since Django's own AlterField would drop and re-validate the
    foreign key too, scanning the whole table under lock."""
    return _drop_indexes(
        table,
        lambda name, info: (
            not info["unique"] and not info["primary_key"] and info["columns"] == [column]
        ),
        f'"{table}_{column}_fk" ON "{table}" ("{column}")',
        postgresql_only=False,
    )


def drop_pattern_index(table: str, column: str) -> migrations.RunPython:
    """Drop the ``varchar_pattern_ops`` index PostgreSQL gets beside the unique index of a
    unique text column (Django names it ``…_like``): it serves only ``LIKE 'prefix%'``, which
    nothing here asks of identifiers (search is by equality, or ``icontains``, which no b-tree
    serves), and every row written pays for it. Other databases have none. Django drops it by
    name ``IF EXISTS`` should the field ever change, so its absence is safe."""
    return _drop_indexes(
        table,
        lambda name, info: info["columns"] == [column] and name.endswith("_like"),
        f'"{table}_{column}_like" ON "{table}" ("{column}" varchar_pattern_ops)',
        postgresql_only=True,
    )
