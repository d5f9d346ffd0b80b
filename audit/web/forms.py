"""The privacy officers' audit search (docs/operations.md, "The audit trail")."""

from __future__ import annotations

import nhs_number
from django import forms
from django.core.exceptions import ValidationError


class AuditSearchForm(forms.Form):
    nhs_number = forms.CharField(
        label="NHS number",
        required=False,
        help_text="The patient's events, for example 943 476 5919",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    username = forms.CharField(
        label="Username", required=False, max_length=150, help_text="The user's events"
    )
    date_from = forms.DateField(
        label="From", required=False, help_text="A date, for example 2026-03-31"
    )
    date_to = forms.DateField(label="To", required=False, help_text="Inclusive")
    # Keyset paging (never OFFSET): the id beyond which the next page starts.
    before = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    after = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def clean_nhs_number(self) -> str:
        value = self.cleaned_data["nhs_number"]
        if not value:
            return ""
        digits = nhs_number.standardise_format(value)
        if not digits:
            raise ValidationError("Enter an NHS number of 10 digits, such as 943 476 5919.")
        if not nhs_number.is_valid(digits):
            raise ValidationError(
                "This NHS number's check digit is wrong: check it has been copied correctly."
            )
        return digits

    def clean_username(self) -> str:
        return self.cleaned_data["username"].strip()

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date must be on or after the start date.")
        return cleaned
