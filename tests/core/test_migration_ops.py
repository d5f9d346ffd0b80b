"""The indexes the big-table migrations dropped stay dropped: each would cost every row
written and serve no query (core/migration_ops.py)."""

from __future__ import annotations

import pytest
from django.db import connection

DROPPED = [
    ("audit_auditevent", "patient_id"),
    ("audit_auditevent", "user_id"),
    ("triage_referralevent", "referral_id"),
    ("directory_patient", "nhs_number"),
    ("triage_referral", "ubrn"),
]


def single_column_indexes(table: str, column: str) -> list[str]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    return [
        name
        for name, info in constraints.items()
        if info["index"] and not info["unique"] and info["columns"] == [column]
    ]


@pytest.mark.parametrize(("table", "column"), DROPPED)
def test_postgres_a_dropped_index_is_not_in_the_schema(postgres, table, column):
    assert single_column_indexes(table, column) == []


@pytest.mark.parametrize(
    ("table", "column"),
    [("audit_auditevent", "patient_id"), ("triage_referralevent", "referral_id")],
)
def test_postgres_a_lookup_by_the_column_still_has_a_composite_index(postgres, table, column):
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    assert any(
        info["index"] and len(info["columns"]) > 1 and info["columns"][0] == column
        for info in constraints.values()
    )
