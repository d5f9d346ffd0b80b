"""Keyset pagination on a unique sort key, for queues however deep (never OFFSET).

The cursor is the sort key of the row at the edge of the page, base64-encoded JSON. The next
page is the rows after it in the sort order, by a row-value comparison
``(a, b, c, id) > (%s, %s, %s, %s)`` that PostgreSQL answers from the queue index.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import date

from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL

from core.errors import ApplicationError


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


def keyset_decode(cursor: str, fields: list[tuple[str, type]]) -> tuple[list, str]:
    """The sort key and direction of ``cursor``; ApplicationError if it is not a valid cursor."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
        raw, direction = data["k"], data["d"]
        if direction not in ("n", "p") or len(raw) != len(fields):
            raise ValueError
        values = [
            date.fromisoformat(v)
            if kind is date and v is not None
            else (kind(v) if v is not None else None)
            for v, (_, kind) in zip(raw, fields, strict=True)
        ]
    except (ValueError, KeyError, TypeError, binascii.Error, json.JSONDecodeError) as exc:
        raise ApplicationError(
            "Invalid cursor.", field_errors={"cursor": ["This cursor is not valid."]}
        ) from exc
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
