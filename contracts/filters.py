"""Obligation and compliance filters, shared by the pages and the API (docs/product.md §7)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Subquery
from django.utils import timezone

from contracts.models import OBLIGATION_DUTY_CHOICES, Duty, Obligation, ObligationStatus, status_q
from directory.models import Organisation
from directory.selectors import pseudonym_scope_for
from directory.validators import normalise_nhs_number, validate_nhs_number


class NhsNumberFormField(forms.CharField):
    """An NHS number as typed (spaces or dashes allowed), checked, as digits."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return value
        digits = normalise_nhs_number(value)
        validate_nhs_number(digits)
        return digits


class NhsNumberFilter(django_filters.CharFilter):
    field_class = NhsNumberFormField


def _provider_subquery(ods_code: str):
    # Resolved inside the statement; an unknown code matches nothing.
    return Subquery(
        Organisation.objects.filter(ods_code=ods_code.strip().upper()).order_by().values("id")[:1]
    )


class ObligationFilterSet(django_filters.FilterSet):
    provider = django_filters.CharFilter(
        method="filter_provider", label="Provider", help_text="ODS code, e.g. R1H"
    )
    duty = django_filters.ChoiceFilter(choices=OBLIGATION_DUTY_CHOICES, label="Duty")
    status = django_filters.ChoiceFilter(
        choices=ObligationStatus.choices,
        method="filter_status",
        label="Status",
        help_text="As of now: overdue from the moment the due time passes",
    )
    nhs_number = NhsNumberFilter(
        method="filter_nhs_number",
        label="NHS number",
        help_text="Not available to managers, who see pseudonymised rows",
    )

    class Meta:
        model = Obligation
        fields: list[str] = []

    def filter_provider(self, queryset, name, value):
        return queryset.filter(provider_id=_provider_subquery(value))

    def filter_status(self, queryset, name, value):
        return queryset.filter(status_q(value, now=timezone.now()))

    def filter_nhs_number(self, queryset, name, value):
        # A manager filtering pseudonymised rows by NHS number would re-identify them.
        if self.request is not None and pseudonym_scope_for(self.request.user) is not None:
            return queryset.none()
        return queryset.filter(patient__nhs_number=value)


class ComplianceFilterForm(forms.Form):
    """The compliance figures' filters: ``provider`` (ODS code) and ``duty`` (any duty,
    obligations and breaches alike)."""

    provider = forms.CharField(
        required=False, max_length=10, label="Provider", help_text="ODS code, e.g. R1H"
    )
    duty = forms.ChoiceField(required=False, choices=[("", "Any"), *Duty.choices], label="Duty")
    weeks = forms.IntegerField(required=False, min_value=1, max_value=104, label="Weeks of trend")
