"""Browser forms for prescribing. They parse HTTP input into typed values; the services hold
the rules, so a service's field errors land on the fields of the same names."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.errors import ApplicationError
from core.home import with_article
from directory.models import OrganisationKind, Patient, User
from directory.selectors import organisation_get, patients_visible_to, user_get
from directory.validators import normalise_nhs_number, validate_nhs_number
from directory.web.pickers import clinician_picker, organisation_picker
from prescribing import rules
from prescribing.models import Budget
from prescribing.services.prescriptions import MAX_DAYS_SUPPLY, MAX_QUANTITY
from prescribing.services.shared_care import MAX_INTERVAL_DAYS
from prescribing.validators import DMD_CODE_VALIDATOR

INPUT = "nhsuk-input"
SELECT = "nhsuk-select"
TEXTAREA = "nhsuk-textarea"


def _text(width: int | None = None, **attrs) -> forms.TextInput:
    css = f"{INPUT} nhsuk-input--width-{width}" if width else INPUT
    return forms.TextInput(attrs={"class": css, **attrs})


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"class": TEXTAREA, "rows": rows})


def apply_service_errors(form: forms.Form, error: ApplicationError) -> None:
    """Put a service's field errors on the matching form fields; the rest above the form."""
    for field, messages in error.field_errors.items():
        form.add_error(field if field in form.fields else None, list(messages))
    if not error.field_errors:
        form.add_error(None, error.message)


def visible_patient(user: User, value: str) -> Patient:
    digits = normalise_nhs_number(value)
    validate_nhs_number(digits)
    patient = patients_visible_to(user).filter(nhs_number=digits).first()
    if patient is None:
        raise ValidationError("No patient you may see has this NHS number.")
    return patient


def _organisation_of_kind(value: str, kind: str):
    organisation = organisation_get(ods_code=value)
    if organisation is None:
        raise ValidationError(f"No organisation with ODS code {value.strip().upper()}.")
    if organisation.kind != kind:
        label = with_article(OrganisationKind(kind).label.lower())
        raise ValidationError(f"{organisation.ods_code} is not {label}.")
    return organisation


class NhsNumberForm(forms.Form):
    """A patient the user may see, by NHS number."""

    nhs_number = forms.CharField(
        label="NHS number",
        max_length=20,
        help_text="10 digits, for example 943 476 5919",
        widget=_text(10, inputmode="numeric", spellcheck="false"),
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_nhs_number(self):
        return visible_patient(self.user, self.cleaned_data["nhs_number"])


def financial_year_choices() -> list[tuple[str, str]]:
    this_year = rules.financial_year_of(timezone.localdate())
    years = (this_year, this_year + 1)
    return [(str(y), rules.financial_year_label(y)) for y in years]


class BudgetForm(forms.Form):
    icb = forms.CharField(
        label="ICB",
        max_length=10,
        help_text="ODS code of the integrated care board, for example QMF",
        widget=organisation_picker(kind=OrganisationKind.ICB),
    )
    financial_year = forms.TypedChoiceField(
        label="Financial year",
        coerce=int,
        choices=financial_year_choices,
        widget=forms.Select(attrs={"class": SELECT}),
    )
    amount = forms.DecimalField(
        label="Amount (£)",
        max_digits=14,
        decimal_places=2,
        min_value=0.01,
        help_text="In pounds, for example 250000.00",
        widget=_text(10, inputmode="decimal"),
    )
    therapeutic_area = forms.CharField(
        label="Pathway or therapeutic area (optional)",
        required=False,
        max_length=120,
        widget=_text(20),
    )
    committee = forms.CharField(
        label="Committee (usernames)",
        help_text="Clinicians of the ICB from primary, community and secondary care, separated "
        "by commas or new lines.",
        widget=_textarea(3),
    )

    def clean_icb(self):
        return _organisation_of_kind(self.cleaned_data["icb"], OrganisationKind.ICB)

    def clean_committee(self):
        names = list(
            dict.fromkeys(n for n in re.split(r"[\s,]+", self.cleaned_data["committee"]) if n)
        )
        users, unknown = [], []
        for name in names:
            user = user_get(username=name)
            (users if user is not None else unknown).append(user or name)
        if unknown:
            raise ValidationError(f"No user with username {', '.join(unknown)}.")
        return users


class BudgetChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, budget: Budget) -> str:
        area = budget.therapeutic_area or "all areas"
        return (
            f"{budget.icb.name} ({budget.icb.ods_code}), "
            f"{rules.financial_year_label(budget.financial_year)}, {area}"
        )


class PrescriptionForm(NhsNumberForm):
    pharmacy = forms.CharField(
        label="Nominated pharmacy",
        max_length=10,
        help_text="The patient's nominated pharmacy: name or ODS code",
        widget=organisation_picker(kind=OrganisationKind.PHARMACY),
    )
    budget = BudgetChoiceField(
        queryset=Budget.objects.none(),
        label="Joint budget charged",
        empty_label="Choose the budget",
        to_field_name="uuid",
        help_text="A budget of the patient's ICB for this financial year",
        widget=forms.Select(attrs={"class": SELECT}),
    )
    discharge = forms.BooleanField(
        label="This is a discharge prescription",
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "nhsuk-checkboxes__input"}),
    )
    short_supply_reason = forms.CharField(
        label="Clinical reason for less than 7 days (discharge only)",
        required=False,
        help_text="A discharge prescription covers at least 7 days unless you record why not.",
        widget=_textarea(2),
    )
    shared_care = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, budgets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["budget"].queryset = budgets

    def clean_pharmacy(self):
        return _organisation_of_kind(self.cleaned_data["pharmacy"], OrganisationKind.PHARMACY)


class ItemForm(forms.Form):
    medicine = forms.CharField(label="Medicine", max_length=200, widget=_text(20))
    dmd_code = forms.CharField(
        label="dm+d code (optional)",
        required=False,
        max_length=18,
        validators=[DMD_CODE_VALIDATOR],
        widget=_text(20, inputmode="numeric"),
    )
    quantity = forms.IntegerField(
        label="Quantity", min_value=1, max_value=MAX_QUANTITY, widget=_text(5, inputmode="numeric")
    )
    days_supply = forms.IntegerField(
        label="Days of supply",
        min_value=1,
        max_value=MAX_DAYS_SUPPLY,
        widget=_text(4, inputmode="numeric"),
    )
    cost = forms.DecimalField(
        label="Cost (£)",
        max_digits=12,
        decimal_places=2,
        min_value=0,
        widget=_text(5, inputmode="decimal"),
    )


class BaseItemFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        if not any(f.cleaned_data for f in self.forms if f.is_valid() and f.has_changed()):
            raise ValidationError("Add at least one item.")

    def items(self) -> list[dict]:
        return [f.cleaned_data for f in self.forms if f.has_changed() and f.cleaned_data]


ItemFormSet = forms.formset_factory(ItemForm, formset=BaseItemFormSet, extra=3, max_num=20)


class AgreementForm(NhsNumberForm):
    gp = forms.CharField(
        label="The patient's GP",
        max_length=150,
        help_text="A GP of the patient's registered practice: search by name",
        widget=clinician_picker(),
    )
    medicine = forms.CharField(label="Medicine", max_length=200, widget=_text(20))
    dmd_code = forms.CharField(
        label="dm+d code (optional)",
        required=False,
        max_length=18,
        validators=[DMD_CODE_VALIDATOR],
        widget=_text(20, inputmode="numeric"),
    )

    def clean_gp(self):
        user = user_get(username=self.cleaned_data["gp"].strip())
        if user is None:
            raise ValidationError("No user with this username: search by name.")
        return user


class MonitoringForm(forms.Form):
    test_type = forms.ChoiceField(
        label="Monitoring test", required=False, widget=forms.Select(attrs={"class": SELECT})
    )
    interval_days = forms.IntegerField(
        label="Every (days)",
        required=False,
        min_value=1,
        max_value=MAX_INTERVAL_DAYS,
        widget=_text(4, inputmode="numeric"),
    )

    def __init__(self, *args, test_types: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["test_type"].choices = [("", "None")] + [
            (code, f"{name} ({code})")
            for code, name in sorted(test_types.items(), key=lambda t: t[1])
        ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("test_type") and not cleaned.get("interval_days"):
            self.add_error("interval_days", "Enter how often, in days.")
        return cleaned


MonitoringFormSet = forms.formset_factory(MonitoringForm, extra=3, max_num=10)


def monitoring_entries(formset) -> list[dict]:
    return [
        {"test_type": f.cleaned_data["test_type"], "interval_days": f.cleaned_data["interval_days"]}
        for f in formset.forms
        if f.cleaned_data.get("test_type")
    ]


class ConfirmForm(forms.Form):
    """An action with nothing to fill in."""


class CancelForm(forms.Form):
    reason = forms.CharField(
        label="Reason for cancelling (optional)", required=False, widget=_textarea(2)
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label="Reason", widget=_textarea(3))
