"""The dashboards' filters, one form for the pages and the API (docs/product.md §7): provider
(ODS code), treatment function, the forecast's weeks and extra capacity, and the date the
relief capacity aims at. A bad value is a field error naming the field; nothing is run."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.validators import RegexValidator
from django.utils import timezone

ODS_VALIDATOR = RegexValidator(
    r"^[A-Za-z0-9]{3,10}$", "Enter an ODS code of 3 to 10 letters and digits.", code="ods"
)
TREATMENT_FUNCTION_VALIDATOR = RegexValidator(
    r"^[0-9]{3}$", "Enter a treatment function code of 3 digits, e.g. 110.", code="tf"
)
MAX_FORECAST_WEEKS = 104
MAX_EXTRA_CAPACITY = Decimal("100000")
# How far ahead a relief date may be: ten years is already a board's longest horizon.
MAX_RELIEF_DAYS = 3650


class DashboardFilterForm(forms.Form):
    provider = forms.CharField(
        required=False,
        max_length=10,
        validators=[ODS_VALIDATOR],
        label="Provider",
        help_text="ODS code, e.g. R1H",
    )
    treatment_function = forms.CharField(
        required=False,
        max_length=3,
        validators=[TREATMENT_FUNCTION_VALIDATOR],
        label="Treatment function",
        help_text="Treatment function code, e.g. 110",
    )

    def clean_provider(self) -> str:
        return self.cleaned_data["provider"].strip().upper()

    def clean_treatment_function(self) -> str:
        return self.cleaned_data["treatment_function"].strip()


class ServicesFilterForm(DashboardFilterForm):
    relief_by = forms.DateField(
        required=False,
        label="Bring each queue to its target by",
        help_text="A date after today (YYYY-MM-DD)",
    )

    def clean_relief_by(self) -> date:
        today = timezone.localdate()
        value = self.cleaned_data["relief_by"]
        if value is None:
            return today + timedelta(weeks=settings.DASHBOARD_RELIEF_WEEKS)
        if value <= today:
            raise forms.ValidationError("Choose a date after today.", code="past")
        if value > today + timedelta(days=MAX_RELIEF_DAYS):
            raise forms.ValidationError("Choose a date within ten years.", code="far")
        return value


class ForecastFilterForm(DashboardFilterForm):
    weeks = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_FORECAST_WEEKS,
        label="Weeks ahead",
        help_text=f"1 to {MAX_FORECAST_WEEKS}",
    )
    extra_capacity = forms.DecimalField(
        required=False,
        min_value=Decimal("0"),
        max_value=MAX_EXTRA_CAPACITY,
        max_digits=9,
        decimal_places=1,
        label="Extra capacity (removals a week)",
        help_text="What if the services removed this many more referrals a week?",
    )

    def clean_weeks(self) -> int:
        return self.cleaned_data["weeks"] or settings.DASHBOARD_FORECAST_WEEKS

    def clean_extra_capacity(self) -> Decimal:
        return self.cleaned_data["extra_capacity"] or Decimal("0")
