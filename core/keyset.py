"""Keyset pagination on a unique sort key, for queues however deep (never OFFSET).

The cursor is the sort key of the row at the edge of the page, base64-encoded JSON. The next
page is the rows after it in the sort order, by a row-value comparison
``(a, b, c, id) > (%s, %s, %s, %s)`` that PostgreSQL answers from the queue index.

A queryset whose rows are the union of a few relationships (a clinician's queue: their
practice's referrals, their panels', their organisation's) carries those relationships as
*arms* (:class:`KeysetArmsQuerySet`). A page of it is then each arm's own first rows, in order,
after the cursor (one short index walk each), merged: the page's ids are chosen from at most
``arms × (page size + 1)`` rows before any row is joined to anything.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from dataclasses import dataclass
from datetime import date

from django.db import connections
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL

from core.errors import ApplicationError
from core.text import control_character_problem

# The range of a PostgreSQL bigint, the widest integer column a sort key uses.
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


class KeysetArmsQuerySet(QuerySet):
    """A queryset whose filter is the OR of a few *arms*, each of which an index answers in
    the keyset's order (:func:`keyset_arms_queryset` makes one). Used like any queryset, its
    rows are the whole OR; :func:`keyset_paginate` takes a page of it arm by arm.

    Beside the queryset it keeps the *arms' base*: the same filters without the OR, and
    without the joins ``values()`` adds for the columns a page shows. Every later filter
    reaches both, so an arm is exactly the queryset's rows of one relationship: an arm
    missing a filter would nominate rows the page then drops, and cut the page short."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.keyset_arms: tuple = ()
        self.keyset_arms_base: QuerySet | None = None

    def _clone(self):
        clone = super()._clone()
        clone.keyset_arms = self.keyset_arms
        clone.keyset_arms_base = self.keyset_arms_base
        return clone

    def _filter_or_exclude(self, negate, args, kwargs):
        clone = super()._filter_or_exclude(negate, args, kwargs)
        if clone.keyset_arms_base is not None:
            clone.keyset_arms_base = clone.keyset_arms_base._filter_or_exclude(negate, args, kwargs)
        return clone

    def annotate(self, *args, **kwargs):
        clone = super().annotate(*args, **kwargs)
        if clone.keyset_arms_base is not None:
            clone.keyset_arms_base = clone.keyset_arms_base.annotate(*args, **kwargs)
        return clone

    def alias(self, *args, **kwargs):
        clone = super().alias(*args, **kwargs)
        if clone.keyset_arms_base is not None:
            clone.keyset_arms_base = clone.keyset_arms_base.alias(*args, **kwargs)
        return clone


def keyset_arms_queryset(base: QuerySet, arms) -> KeysetArmsQuerySet:
    """``base`` narrowed to the OR of ``arms`` (``Q`` objects or :class:`KeysetEachArm`), to
    be paged arm by arm: each arm is then ``base`` and that one arm, so it carries neither the
    OR nor the others' subqueries, and PostgreSQL plans it as one short index walk."""
    armed = KeysetArmsQuerySet(model=base.model, query=base.query.chain(), using=base._db)
    arms_base = armed._chain()
    armed = armed.filter(arms_filter(arms))
    armed.keyset_arms = tuple(arms)
    armed.keyset_arms_base = arms_base
    return armed


@dataclass(frozen=True)
class KeysetEachArm:
    """One arm for each value ``driver`` yields (a one-column ``values`` queryset), each the
    rows whose ``column`` equals it: a clinician's panels, say, found in the same statement
    as the page (PostgreSQL: ``CROSS JOIN LATERAL``), each an index walk of its own. As a
    filter, ``column IN (driver)``."""

    column: str
    driver: QuerySet

    @property
    def q(self) -> Q:
        return Q(**{f"{self.column}__in": self.driver})


def arms_filter(arms) -> Q:
    """The OR of ``arms``: the filter a :class:`KeysetArmsQuerySet` of them must carry."""
    combined = Q()
    for arm in arms:
        combined |= arm.q if isinstance(arm, KeysetEachArm) else arm
    return combined


def _arm_sql(queryset: QuerySet, arm, order: list[str], names: list[str], limit: int):
    """One arm's first ``limit`` rows of ``queryset`` (the arms' base) in ``order``, as SQL
    selecting the key's columns."""
    connection = connections[queryset.db]
    each = isinstance(arm, KeysetEachArm) and connection.vendor == "postgresql"
    if isinstance(arm, KeysetEachArm) and not each:
        arm = arm.q  # elsewhere (SQLite) the arm is one IN: right, if not one walk per value
    if each:
        value = RawSQL("keyset_driver.value", [], output_field=queryset.model._meta.pk)
        rows = queryset.filter(**{arm.column: value})
    else:
        rows = queryset.filter(arm)
    rows = rows.order_by(*order).values_list(*names)[:limit]
    sql, params = rows.query.get_compiler(queryset.db).as_sql()
    if not each:
        return sql, list(params)
    driver_sql, driver_params = arm.driver.query.get_compiler(queryset.db).as_sql()
    return (
        f"SELECT keyset_each.* FROM ({driver_sql}) AS keyset_driver (value) "  # noqa: S608
        f"CROSS JOIN LATERAL ({sql}) AS keyset_each",
        [*driver_params, *params],
    )


def _merged_arms(queryset: QuerySet, order: list[str], limit: int) -> QuerySet:
    """``queryset`` narrowed to the ids of its first ``limit`` rows in ``order``, found arm by
    arm: each arm's first ``limit`` rows (the caller's filters and the cursor included, so each
    is a short walk of its own index), their union, and its first ``limit`` ids. The key's last
    field must be the primary key. Without arms, ``queryset`` itself."""
    arms = getattr(queryset, "keyset_arms", ())
    base = getattr(queryset, "keyset_arms_base", None)
    if base is None or (len(arms) < 2 and not any(isinstance(arm, KeysetEachArm) for arm in arms)):
        return queryset
    names = [name.lstrip("-") for name in order]
    quote = connections[queryset.db].ops.quote_name
    parts, params = [], []
    for index, arm in enumerate(arms):
        sql, arm_params = _arm_sql(base, arm, order, names, limit)
        # Each arm's ORDER BY … LIMIT stays inside its own derived table (SQLite too).
        parts.append(f"SELECT * FROM ({sql}) AS keyset_arm_{index}")  # noqa: S608 - ours
        params.extend(arm_params)
    direction = " DESC" if order[0].startswith("-") else ""
    merged_order = ", ".join(f"{quote(name)}{direction}" for name in names)
    merged = (
        f"SELECT {quote(names[-1])} FROM ({' UNION '.join(parts)}) AS keyset_arms "  # noqa: S608
        f"ORDER BY {merged_order} LIMIT {int(limit)}"
    )
    return queryset.filter(pk__in=RawSQL(merged, params))  # noqa: S611 - ours, bound params


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
    queryset = _merged_arms(queryset, order, page_size + 1)
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
