"""The NHS.UK date input (day, month, year in three boxes) and a time input in the same style
(hour and minute), as Django fields and widgets, for every app's forms.

A browser's ``<input type="date">`` follows the browser's locale (mm/dd/yyyy in an American
build), and clinicians misread it; the NHS design system asks for three numeric boxes instead
(nhsuk-frontend's date-input component), with errors that say which part is wrong. A time is
typed the same way, as an hour and a minute on the 24-hour clock."""

from __future__ import annotations

from datetime import date, time

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join

PARTS = (("day", "Day", 2), ("month", "Month", 2), ("year", "Year", 4))
TIME_PARTS = (("hour", "Hour", 2), ("minute", "Minute", 2))


class NumericBoxesInput(forms.MultiWidget):
    """Numeric text boxes named ``<name>_0``, ``_1``… rendered with nhsuk-frontend's
    date-input markup. The form template draws the fieldset, legend, hint and error around it
    (triage/_date_input.html)."""

    use_fieldset = True
    parts: tuple[tuple[str, str, int], ...] = ()

    def __init__(self, attrs=None):
        super().__init__([forms.TextInput() for _ in self.parts], attrs)

    def id_for_label(self, id_):
        # The error summary links here: focus lands in the first box.
        return f"{id_}_0" if id_ else id_

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        base_id = attrs.pop("id", f"id_{name}")
        invalid = attrs.pop("aria-invalid", None)
        if not isinstance(value, list):
            value = self.decompress(value)
        items = []
        for index, (_part, label, width) in enumerate(self.parts):
            part_id = f"{base_id}_{index}"
            input_attrs = {
                "class": f"nhsuk-input nhsuk-date-input__input nhsuk-input--width-{width}"
                + (" nhsuk-input--error" if invalid else ""),
                "id": part_id,
                "name": f"{name}_{index}",
                "type": "text",
                "inputmode": "numeric",
                "value": "" if value[index] in (None, "") else str(value[index]),
            }
            if index == 0 and "aria-describedby" in attrs:
                input_attrs["aria-describedby"] = attrs["aria-describedby"]
            items.append((part_id, label, flatatt(input_attrs)))
        return format_html(
            '<div class="nhsuk-date-input" id="{}">{}</div>',
            base_id,
            format_html_join(
                "",
                '<div class="nhsuk-date-input__item"><div class="nhsuk-form-group">'
                '<label class="nhsuk-label nhsuk-date-input__label" for="{}">{}</label>'
                "<input{}></div></div>",
                items,
            ),
        )


class NHSDateInput(NumericBoxesInput):
    """Three boxes: ``<name>_0`` (day), ``_1`` (month) and ``_2`` (year)."""

    parts = PARTS

    def decompress(self, value):
        if isinstance(value, date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class NHSTimeInput(NumericBoxesInput):
    """Two boxes: ``<name>_0`` (hour, 0–23) and ``_1`` (minute)."""

    parts = TIME_PARTS

    def decompress(self, value):
        if isinstance(value, time):
            return [f"{value.hour:02d}", f"{value.minute:02d}"]
        return [None, None]


def date_from_parts(day: str, month: str, year: str) -> date | None:
    """The date the three boxes spell, or a ValidationError naming the part that is wrong.
    All three empty is no date; the caller decides whether one is required."""
    parts = {"day": day.strip(), "month": month.strip(), "year": year.strip()}
    if not any(parts.values()):
        return None
    missing = [name for name, text in parts.items() if not text]
    if missing:
        raise ValidationError(f"The date must include a {' and a '.join(missing)}.")
    if not all(text.isdigit() for text in parts.values()):
        wrong = next(name for name, text in parts.items() if not text.isdigit())
        raise ValidationError(f"The {wrong} must be a number.")
    day_n, month_n, year_n = (int(parts[name]) for name in ("day", "month", "year"))
    if not 1 <= month_n <= 12:
        raise ValidationError("The month must be a number from 1 to 12.")
    if len(parts["year"]) != 4:
        raise ValidationError("The year must have 4 digits, for example 2027.")
    if not 1 <= day_n <= 31:
        raise ValidationError("The day must be a number from 1 to 31.")
    try:
        return date(year_n, month_n, day_n)
    except ValueError:
        raise ValidationError(
            f"The day must be a real day of that month: there is no {day_n}/{month_n}/{year_n}."
        ) from None


def time_from_parts(hour: str, minute: str) -> time | None:
    """The time the two boxes spell (24-hour clock), or a ValidationError naming the part that
    is wrong. Both empty is no time; the caller decides whether one is required."""
    parts = {"hour": hour.strip(), "minute": minute.strip()}
    if not any(parts.values()):
        return None
    missing = [name for name, text in parts.items() if not text]
    if missing:
        raise ValidationError(
            "The time must include an hour."
            if "hour" in missing
            else "The time must include a minute."
        )
    wrong = next((name for name, text in parts.items() if not text.isdigit()), None)
    if wrong is not None:
        raise ValidationError(f"The {wrong} must be a number.")
    if len(parts["hour"]) > 2 or not 0 <= int(parts["hour"]) <= 23:
        raise ValidationError("The hour must be a number from 0 to 23 (the 24-hour clock).")
    if len(parts["minute"]) > 2 or not 0 <= int(parts["minute"]) <= 59:
        raise ValidationError("The minute must be a number from 0 to 59.")
    return time(int(parts["hour"]), int(parts["minute"]))


class _BoxesField(forms.MultiValueField):
    """A value typed in numeric boxes; partial or impossible values are refused with a message
    naming the wrong part, and the boxes keep what was typed."""

    parse = staticmethod(lambda *parts: None)

    def __init__(self, **kwargs):
        super().__init__(
            fields=[forms.CharField(required=False) for _ in self.widget.parts],
            require_all_fields=False,
            **kwargs,
        )

    def clean(self, value):
        if not isinstance(value, list | tuple):
            value = self.widget.decompress(value)
        result = self.parse(*(str(part or "") for part in value))
        if result is None and self.required:
            raise ValidationError(self.error_messages["required"], code="required")
        return result

    def compress(self, data_list):  # pragma: no cover - clean() above does the work
        return self.parse(*(str(part or "") for part in data_list))


class NHSDateField(_BoxesField):
    """A date typed as day, month and year."""

    widget = NHSDateInput
    parse = staticmethod(date_from_parts)

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "For example, 15 3 2027")
        super().__init__(**kwargs)


class NHSTimeField(_BoxesField):
    """A time typed as hour and minute, on the 24-hour clock."""

    widget = NHSTimeInput
    parse = staticmethod(time_from_parts)

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "24-hour clock, for example 14 30")
        super().__init__(**kwargs)
