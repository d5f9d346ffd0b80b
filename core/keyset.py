"""Keyset pagination on a unique sort key, for queues however deep (never OFFSET).

The cursor is the sort key of the row at the edge of the page, base64-encoded JSON. The next
page is the rows after it in the sort order, by a row-value comparison
``(a, b, c, id) > (%s, %s, %s, %s)`` that PostgreSQL answers from the queue index.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from dataclasses import dataclass
from datetime import date

from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL

from core.errors import ApplicationError
from core.text import control_character_problem

# The range of a PostgreSQL bigint, the widest integer column a sort key uses.
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


@dataclass
class KeysetPage:
    rows: list
    next_cursor: str | None
    previous_cursor: str | None


def keyset_encode(values: list, direction: str) -> str:
    """The cursor at a row whose sort key is ``values``: the page after it (``"n"``) or before
    it (``"p"``)."""
    payload = [v.isoformat() if isinstance(v, date) else v for v in values]
    raw = json.dumps({"k": payload, "d": direction}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def invalid_cursor() -> ApplicationError:
    """The one answer to a cursor that is not ours: 400 naming ``cursor``."""
    return ApplicationError(
        "Invalid cursor.", field_errors={"cursor": ["This cursor is not valid."]}
    )


def _refuse_constant(name: str):
    # NaN and Infinity are not JSON; keyset_encode never writes them.
    raise ValueError(f"{name} is not a cursor value")


def _key_value(value, kind: type):
    """One sort-key value of the type its column holds, or ValueError: a tampered cursor
    must never reach the query (an int too big for bigint, a NUL in text, Infinity)."""
    if value is None:
        return None
    if kind is date and isinstance(value, str):
        return date.fromisoformat(value)
    if kind is int and isinstance(value, int) and not isinstance(value, bool):
        if not INT64_MIN <= value <= INT64_MAX:
            raise ValueError("out of range")
        return value
    if kind is float and isinstance(value, int | float) and not isinstance(value, bool):
        if not math.isfinite(value):
            raise ValueError("not finite")
        return float(value)
    if kind is str and isinstance(value, str) and not control_character_problem(value):
        return value
    if kind is bool and isinstance(value, bool):
        return value
    raise ValueError(f"not a {kind.__name__}")


def keyset_decode(cursor: str, fields: list[tuple[str, type]]) -> tuple[list, str]:
    """The sort key and direction of ``cursor``; ApplicationError if it is not a valid cursor."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(
            base64.urlsafe_b64decode(padded.encode()), parse_constant=_refuse_constant
        )
        raw, direction = data["k"], data["d"]
        if direction not in ("n", "p") or not isinstance(raw, list) or len(raw) != len(fields):
            raise ValueError("not a cursor")
        values = [_key_value(v, kind) for v, (_, kind) in zip(raw, fields, strict=True)]
    except (
        ValueError,
        KeyError,
        TypeError,
        OverflowError,
        RecursionError,
        binascii.Error,
    ) as exc:
        raise invalid_cursor() from exc
    return values, direction


def keyset_paginate(
    queryset: QuerySet,
    *,
    table: str,
    fields: list[tuple[str, type]],
    cursor: str | None,
    page_size: int,
) -> KeysetPage:
    """Page through ``queryset`` in ascending order of ``fields`` (the last must be unique).

    ``fields`` are ``(column, python_type)``; the columns belong to ``table``.
    """
    names = [name for name, _ in fields]
    columns = ", ".join(f'"{table}"."{name}"' for name in names)
    placeholders = ", ".join(["%s"] * len(fields))
    direction = "n"
    if cursor:
        values, direction = keyset_decode(cursor, fields)
        op = ">" if direction == "n" else "<"
        queryset = queryset.filter(
            RawSQL(  # noqa: S611 - column names are ours; values are bound parameters
                f"({columns}) {op} ({placeholders})", values, output_field=BooleanField()
            )
        )
    order = names if direction == "n" else [f"-{name}" for name in names]
    rows = list(queryset.order_by(*order)[: page_size + 1])
    has_more = len(rows) > page_size
    rows = rows[:page_size]
    if direction == "p":
        rows.reverse()

    def key(row) -> list:
        # Rows are model instances, or dicts from a ``.values()`` queryset.
        return [row[name] if isinstance(row, dict) else getattr(row, name) for name in names]

    if not rows:
        return KeysetPage(rows, None, None)
    if direction == "n":
        next_cursor = keyset_encode(key(rows[-1]), "n") if has_more else None
        previous_cursor = keyset_encode(key(rows[0]), "p") if cursor else None
    else:
        next_cursor = keyset_encode(key(rows[-1]), "n")
        previous_cursor = keyset_encode(key(rows[0]), "p") if has_more else None
    return KeysetPage(rows, next_cursor, previous_cursor)
