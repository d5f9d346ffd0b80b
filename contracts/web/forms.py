"""Browser forms for contracts. They parse HTTP input into typed values; the services hold the
rules and their field errors land on the same names."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from contracts.models import BREACH_DUTY_CHOICES, DischargeKind, FitNote
from contracts.web.widgets import NHSDateTimeField
from core.errors import ApplicationError
from core.widgets import NHSDateField
from directory.selectors import organisation_get
from directory.validators import normalise_nhs_number, validate_nhs_number
from directory.web.pickers import organisation_picker

INPUT = "nhsuk-input"
TEXTAREA = "nhsuk-textarea"


def apply_service_errors(form: forms.Form, error: ApplicationError) -> None:
    """Put a service's field errors on the matching fields; the rest above the form."""
    for field, messages in error.field_errors.items():
        form.add_error(field if field in form.fields else None, list(messages))
    if not error.field_errors:
        form.add_error(None, error.message)


class NhsNumberField(forms.CharField):
    """An NHS number as typed (spaces or dashes allowed), checked, as digits; the view looks
    the patient up among those the user may use."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "NHS number")
        kwargs.setdefault("help_text", "10 digits, for example 943 476 5919")
        super().__init__(
            max_length=14,
            widget=forms.TextInput(attrs={"class": f"{INPUT} nhsuk-input--width-10"}),
            **kwargs,
        )

    def clean(self, value):
        digits = normalise_nhs_number(super().clean(value))
        validate_nhs_number(digits)
        return digits


def _radios(choices, **kwargs) -> forms.ChoiceField:
    return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **kwargs)


FIT_NOTE_HELP = "Whether the patient needed a fit note, and whether you issued it."


class DischargeForm(forms.Form):
    nhs_number = NhsNumberField()
    kind = _radios(DischargeKind.choices, label="Kind of discharge")
    discharged_at = NHSDateTimeField(label="Discharged at")
    medication_days = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=366,
        label="Days of medication supplied",
        help_text="Leave empty if no medication was prescribed on discharge.",
        widget=forms.NumberInput(attrs={"class": f"{INPUT} nhsuk-input--width-3"}),
    )
    fit_note = _radios(FitNote.choices, label="Fit note", help_text=FIT_NOTE_HELP)


class AttendanceForm(forms.Form):
    nhs_number = NhsNumberField()
    attended_at = NHSDateTimeField(label="Attended at")
    gp_action_needed = forms.BooleanField(
        required=False,
        label="The GP needs to act on something from this attendance (a clinic letter is due)",
        widget=forms.CheckboxInput(attrs={"class": "nhsuk-checkboxes__input"}),
    )
    fit_note = _radios(
        FitNote.choices, label="Fit note", help_text=FIT_NOTE_HELP, initial=FitNote.NOT_NEEDED
    )


class FulfilForm(forms.Form):
    at = NHSDateTimeField(
        required=False,
        label="When it was sent or done",
        help_text="Leave empty for now. For example, 15 3 2027 and 14 30 (24-hour clock)",
    )
    note = forms.CharField(
        required=False,
        max_length=2000,
        label="What was sent or done (optional)",
        widget=forms.Textarea(attrs={"class": TEXTAREA, "rows": 3}),
    )


class BreachReportForm(forms.Form):
    duty = _radios(BREACH_DUTY_CHOICES, label="What were you asked to do?")
    provider = forms.CharField(
        label="Provider", help_text="Name or ODS code of the trust or community provider"
    )
    nhs_number = NhsNumberField(help_text="A patient registered at your practice")
    occurred_on = NHSDateField(label="When were you asked?")
    description = forms.CharField(
        max_length=4000,
        label="What happened",
        help_text="Who asked, how (letter, discharge summary, phone) and what for.",
        widget=forms.Textarea(attrs={"class": TEXTAREA, "rows": 5}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].widget = organisation_picker(kind="provider")

    def clean_provider(self):
        value = self.cleaned_data["provider"]
        provider = organisation_get(ods_code=value)
        if provider is None:
            raise ValidationError(
                f"No organisation with ODS code {value.strip().upper()}: search by name or code."
            )
        return provider


class LetterForm(forms.Form):
    letter = forms.CharField(
        max_length=20000,
        strip=False,
        label="Letter to the trust and the ICB",
        help_text="Edit it as you need before you print or download it.",
        widget=forms.Textarea(attrs={"class": TEXTAREA, "rows": 28}),
    )
