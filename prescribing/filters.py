"""Filters for the prescribing lists, shared by the pages and the API (docs/product.md §7)."""

from __future__ import annotations

import django_filters
from django import forms
from django.core.exceptions import ValidationError

from directory.validators import normalise_nhs_number
from prescribing import rules
from prescribing.models import (
    AgreementStatus,
    Budget,
    Prescription,
    PrescriptionStatus,
    SharedCareAgreement,
)


class FinancialYearField(forms.CharField):
    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return rules.financial_year_parse(value)
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc


class FinancialYearFilter(django_filters.Filter):
    field_class = FinancialYearField


class BudgetFilterSet(django_filters.FilterSet):
    icb = django_filters.CharFilter(
        method="filter_icb", label="ICB (ODS code)", help_text="ODS code of the ICB, e.g. QMF"
    )
    financial_year = FinancialYearFilter(
        field_name="financial_year", label="Financial year", help_text='e.g. "2026/27"'
    )

    class Meta:
        model = Budget
        fields: list[str] = []

    def filter_icb(self, queryset, name, value):
        return queryset.filter(icb__ods_code=value.strip().upper())


class PrescriptionFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=PrescriptionStatus.choices, label="Status")
    nhs_number = django_filters.CharFilter(
        method="filter_nhs_number", label="NHS number", help_text="10 digits"
    )
    budget = django_filters.UUIDFilter(field_name="budget__uuid", label="Budget id")
    discharge = django_filters.BooleanFilter(label="Discharge prescriptions")

    class Meta:
        model = Prescription
        fields: list[str] = []

    def filter_nhs_number(self, queryset, name, value):
        return queryset.filter(patient__nhs_number=normalise_nhs_number(value))


class AgreementFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=AgreementStatus.choices, label="Status")
    nhs_number = django_filters.CharFilter(
        method="filter_nhs_number", label="NHS number", help_text="10 digits"
    )

    class Meta:
        model = SharedCareAgreement
        fields: list[str] = []

    def filter_nhs_number(self, queryset, name, value):
        return queryset.filter(patient__nhs_number=normalise_nhs_number(value))
