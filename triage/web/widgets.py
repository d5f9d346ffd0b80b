"""The NHS.UK date input, shared by every app's forms: it lives in ``core.widgets``."""

from core.widgets import PARTS, NHSDateField, NHSDateInput, date_from_parts

__all__ = ["PARTS", "NHSDateField", "NHSDateInput", "date_from_parts"]
