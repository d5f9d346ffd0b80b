"""The API's JSON parser. A module of its own, importing nothing of DRF's views: DRF reads
``DEFAULT_PARSER_CLASSES`` while ``rest_framework.views`` is being imported, so the parser
must not import that module back."""

from __future__ import annotations

from rest_framework import parsers
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.settings import api_settings

from core.text import control_character_problem, is_free_text, printable_name

# No body the API takes nests deeper than a few levels; anything much deeper is an attack on
# the parser (docs/api.md, Errors).
MAX_JSON_DEPTH = 32


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser (which already refuses NaN and Infinity), plus what it let through:
    nesting deep enough to exhaust the stack is a 400 ParseError, and a control character in
    a key or a value is a 400 naming the field (tabs and line breaks are allowed in the free
    text fields of ``core.text.FREE_TEXT_FIELDS``)."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError("JSON parse error - nested too deeply.") from exc
        json_check(data)
        return data


def json_check(data) -> None:
    """Walk parsed JSON without recursion; raise ParseError for nesting deeper than
    ``MAX_JSON_DEPTH`` and ValidationError ``{field: [message]}`` for a control character."""
    top = api_settings.NON_FIELD_ERRORS_KEY
    stack: list[tuple[object, int, str, str]] = [(data, 0, top, top)]
    while stack:
        value, depth, field, key = stack.pop()
        if depth > MAX_JSON_DEPTH:
            raise ParseError(f"JSON parse error - nested more than {MAX_JSON_DEPTH} levels deep.")
        if isinstance(value, dict):
            for name, item in value.items():
                item_field = name if depth == 0 else field
                problem = control_character_problem(name)
                if problem:
                    raise ValidationError({printable_name(item_field): [problem]})
                stack.append((item, depth + 1, item_field, name))
        elif isinstance(value, list):
            stack.extend((item, depth + 1, field, key) for item in value)
        elif isinstance(value, str):
            problem = control_character_problem(value, free_text=is_free_text(key))
            if problem:
                raise ValidationError({field: [problem]})
