"""The NHS.UK date input (day, month, year in three boxes), as a Django field and widget.

A browser's ``<input type="date">`` follows the browser's locale (mm/dd/yyyy in an American
build), and clinicians misread it; the NHS design system asks for three numeric boxes instead
(nhsuk-frontend's date-input component), with errors that say which part is wrong."""

from __future__ import annotations

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join

PARTS = (("day", "Day", 2), ("month", "Month", 2), ("year", "Year", 4))


class NHSDateInput(forms.MultiWidget):
    """Three text boxes named ``<name>_0`` (day), ``_1`` (month) and ``_2`` (year), rendered with
    nhsuk-frontend's date-input markup. The form template draws the fieldset, legend, hint and
    error around it (triage/_date_input.html)."""

    use_fieldset = True

    def __init__(self, attrs=None):
        super().__init__([forms.TextInput() for _ in PARTS], attrs)

    def decompress(self, value):
        if isinstance(value, date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def id_for_label(self, id_):
        # The error summary links here: focus lands in the day box.
        return f"{id_}_0" if id_ else id_

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        base_id = attrs.pop("id", f"id_{name}")
        invalid = attrs.pop("aria-invalid", None)
        if not isinstance(value, list):
            value = self.decompress(value)
        items = []
        for index, (part, label, width) in enumerate(PARTS):
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
            if part == "day" and "aria-describedby" in attrs:
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


class NHSDateField(forms.MultiValueField):
    """A date typed as day, month and year. Partial or impossible dates are refused with a
    message that names the wrong part; the day, month and year are kept as typed."""

    widget = NHSDateInput

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "For example, 15 3 2027")
        super().__init__(
            fields=[forms.CharField(required=False) for _ in PARTS],
            require_all_fields=False,
            **kwargs,
        )

    def clean(self, value):
        if not isinstance(value, list | tuple):
            value = self.widget.decompress(value)
        parts = [str(part or "") for part in value]
        result = date_from_parts(*parts)
        if result is None and self.required:
            raise ValidationError(self.error_messages["required"], code="required")
        return result

    def compress(self, data_list):  # pragma: no cover - clean() above does the work
        return date_from_parts(*(str(part or "") for part in data_list))
