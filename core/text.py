"""Checks on untrusted text, shared by the request middleware, the JSON parser, cursors and
CSV imports: the one place that says which control characters are refused where."""

from __future__ import annotations

import re

# C0 controls and DEL: never part of a path, a query, a header we read or an identifier.
CONTROL_CHARACTER = re.compile(r"[\x00-\x1f\x7f]")
# In free text a tab, a line feed and a carriage return are ordinary; the rest are not.
CONTROL_CHARACTER_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# Posted fields (form or JSON) that hold free text, where tabs and line breaks are allowed.
# Every other field is an identifier (an ODS or treatment function code, an NHS number, a
# UBRN, an id, a choice) and may hold no control character at all. A new textarea whose name
# is not here is refused with a 400 naming it: add the name here.
FREE_TEXT_FIELDS = frozenset(
    {
        "action",
        "answer",
        "committee",
        "description",
        "letter",
        "members",
        "new_password1",
        "new_password2",
        "note",
        "notes",
        "old_password",
        "password",
        "password1",
        "password2",
        "question",
        "rationale",
        "reason",
        "short_supply_reason",
        "summary",
    }
)


def is_free_text(name: str) -> bool:
    """Whether the field ``name`` holds free text; a formset's ``form-0-note`` counts as ``note``."""
    return name.rsplit("-", 1)[-1] in FREE_TEXT_FIELDS


def control_character_problem(value: str, *, free_text: bool = False) -> str | None:
    """Why ``value`` is refused, or None: it holds a control character (any of them, or in
    free text any but tab, line feed and carriage return)."""
    found = (CONTROL_CHARACTER_IN_TEXT if free_text else CONTROL_CHARACTER).search(value)
    if found is None:
        return None
    return f"Contains a control character (U+{ord(found.group()):04X}), which is not allowed here."


def printable_name(name: str) -> str:
    """A field name fit to show, its control characters written as ``\\u0000`` escapes."""
    return CONTROL_CHARACTER.sub(lambda found: f"\\u{ord(found.group()):04x}", name)
