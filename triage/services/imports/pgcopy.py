"""PostgreSQL COPY of Python tuples, for the PTL import's staging table and the demo loader."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable

# Where PostgreSQL says a COPY failed: "COPY table, line 3, column family_name: ...".
_COPY_CONTEXT = re.compile(r"COPY \w+, line (\d+)(?:, column (\w+))?")


class _Null(float):
    """None as COPY's CSV format reads NULL: an empty field, unquoted. Python 3.11's csv
    module writes None as a quoted "" under QUOTE_NONNUMERIC, which COPY reads as an empty
    string, but never quotes a number: this one is a number that writes as nothing."""

    __slots__ = ()

    def __repr__(self) -> str:
        return ""

    __str__ = __repr__


_NULL = _Null()


def _nulls_marked(row) -> tuple:
    return tuple(_NULL if value is None else value for value in row)


def copy_rows(cursor, table: str, columns: Iterable[str], rows: Iterable[tuple]) -> None:
    """PostgreSQL COPY of Python tuples, one buffer per call, written by the csv module (in C,
    where escaping each value in Python cost more than the COPY): strings quoted, numbers and
    booleans bare, None an empty unquoted field, which is NULL. One record per row, so an
    error's line is the row's 1-based place, embedded newlines and all."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n")
    writer.writerows(_nulls_marked(row) if None in row else row for row in rows)
    buffer.seek(0)
    cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv)", buffer)


def copy_error_position(error: Exception) -> tuple[int, str] | None:
    """The 1-based line of the COPY input and the column PostgreSQL refused, from the error's
    context, or None when it does not say (the column is "" when only the line is known)."""
    context = getattr(getattr(error, "diag", None), "context", None) or ""
    found = _COPY_CONTEXT.search(context)
    if found is None:
        return None
    return int(found.group(1)), found.group(2) or ""
