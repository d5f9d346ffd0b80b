"""copy_rows: Python tuples through PostgreSQL COPY's CSV format, each value as it was."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection

from triage.services.imports.pgcopy import copy_error_position, copy_rows

COLUMNS = ("n", "text", "day", "flag")


@pytest.fixture
def table(postgres):
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE copied (n integer, text text, day date, flag boolean)")
        yield cursor


def copied(cursor) -> list[tuple]:
    cursor.execute("SELECT n, text, day, flag FROM copied ORDER BY n")
    return cursor.fetchall()


def test_none_is_copied_as_null_and_an_empty_string_as_empty(table):
    copy_rows(table, "copied", COLUMNS, [(1, None, None, None), (2, "", date(2026, 1, 2), False)])
    assert copied(table) == [(1, None, None, None), (2, "", date(2026, 1, 2), False)]


def test_quotes_commas_backslashes_and_line_breaks_are_copied_as_they_are(table):
    text = 'He said "no", then\\N,\r\n\tleft'
    copy_rows(table, "copied", COLUMNS, [(1, text, date(2026, 1, 2), True)])
    assert copied(table) == [(1, text, date(2026, 1, 2), True)]


def test_a_refused_value_is_placed_by_row_even_after_a_value_with_line_breaks(table):
    rows = [(1, "two\nlines", None, None), (2, "fine", None, None), ("x", "bad", None, None)]
    with pytest.raises(connection.Database.DataError) as caught:
        copy_rows(table, "copied", COLUMNS, rows)
    assert copy_error_position(caught.value) == (3, "n")
