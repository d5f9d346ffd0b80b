"""The time something happened (a discharge, an attendance, a document sent), typed as the
NHS.UK date input's day, month and year boxes followed by hour and minute boxes: the boxes and
their rules are core's (``core.widgets``); this puts the two together as one field, so a
service's error on ``discharged_at`` lands on the one field that holds it."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.widgets import PARTS, TIME_PARTS, NumericBoxesInput, date_from_parts, time_from_parts


class NHSDateTimeInput(NumericBoxesInput):
    """Five boxes: ``<name>_0`` day, ``_1`` month, ``_2`` year, ``_3`` hour, ``_4`` minute."""

    parts = PARTS + TIME_PARTS

    def decompress(self, value):
        if isinstance(value, datetime):
            local = timezone.localtime(value)
            return [local.day, local.month, local.year, f"{local:%H}", f"{local:%M}"]
        return [None] * len(self.parts)


def datetime_from_parts(day: str, month: str, year: str, hour: str, minute: str):
    """The moment the boxes spell, in English local time, or a ValidationError naming what is
    wrong; all empty is none (the caller decides whether one is required)."""
    on = date_from_parts(day, month, year)
    at = time_from_parts(hour, minute)
    if on is None and at is None:
        return None
    if on is None:
        raise ValidationError("Enter the date as well as the time.")
    if at is None:
        raise ValidationError("Enter the time as well as the date, on the 24-hour clock.")
    return timezone.make_aware(datetime.combine(on, at))


class NHSDateTimeField(forms.MultiValueField):
    widget = NHSDateTimeInput

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "For example, 15 3 2027 and 14 30 (24-hour clock)")
        super().__init__(
            fields=[forms.CharField(required=False) for _ in NHSDateTimeInput.parts],
            require_all_fields=False,
            **kwargs,
        )

    def clean(self, value):
        if not isinstance(value, list | tuple):
            value = self.widget.decompress(value)
        parts = [str(part or "") for part in value]
        parts += [""] * (len(NHSDateTimeInput.parts) - len(parts))
        result = datetime_from_parts(*parts[: len(NHSDateTimeInput.parts)])
        if result is None and self.required:
            raise ValidationError(self.error_messages["required"], code="required")
        return result

    def compress(self, data_list):  # pragma: no cover - clean() above does the work
        return datetime_from_parts(*(str(part or "") for part in data_list))
