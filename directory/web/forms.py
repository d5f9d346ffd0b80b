from django import forms
from django.core.exceptions import ValidationError

from directory.validators import normalise_nhs_number, validate_nhs_number


class PatientSearchForm(forms.Form):
    nhs_number = forms.CharField(
        label="NHS number",
        required=False,
        help_text="10 digits, for example 943 476 5919",
        widget=forms.TextInput(
            attrs={
                "class": "nhsuk-input nhsuk-input--width-10",
                "inputmode": "numeric",
                "autocomplete": "off",
            }
        ),
    )
    family_name = forms.CharField(
        label="Family name",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"class": "nhsuk-input nhsuk-input--width-20"}),
    )

    def clean_nhs_number(self) -> str:
        value = self.cleaned_data["nhs_number"]
        if not value:
            return ""
        try:
            validate_nhs_number(value)
        except ValidationError as exc:
            raise ValidationError(exc.messages[0]) from exc
        return normalise_nhs_number(value)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("nhs_number") and not cleaned.get("family_name") and not self.errors:
            raise ValidationError("Enter an NHS number or a family name.")
        return cleaned
