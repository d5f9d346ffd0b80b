"""PostgreSQL COPY of Python tuples, for the PTL import's staging table and the demo loader."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable

_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
# Where PostgreSQL says a COPY failed: "COPY table, line 3, column family_name: ...".
_COPY_CONTEXT = re.compile(r"COPY \w+, line (\d+)(?:, column (\w+))?")


def _copy_value(value) -> str:
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES)
    return str(value)


def copy_rows(cursor, table: str, columns: Iterable[str], rows: Iterable[tuple]) -> None:
    """PostgreSQL COPY of Python tuples (text format), one buffer per call."""
    buffer = io.StringIO()
    buffer.writelines("\t".join(map(_copy_value, row)) + "\n" for row in rows)
    buffer.seek(0)
    cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)


def copy_error_position(error: Exception) -> tuple[int, str] | None:
    """The 1-based line of the COPY input and the column PostgreSQL refused, from the error's
    context, or None when it does not say (the column is "" when only the line is known)."""
    context = getattr(getattr(error, "diag", None), "context", None) or ""
    found = _COPY_CONTEXT.search(context)
    if found is None:
        return None
    return int(found.group(1)), found.group(2) or ""
