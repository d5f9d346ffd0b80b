"""Diagnostics filters, shared by the browser and the API (docs/product.md §7). The querysets
they narrow come from ``diagnostics.selectors`` (``free_slots``, ``results_visible_to``), which
decide what the caller may see."""

from __future__ import annotations

import datetime as dt

import django_filters

from diagnostics.models import Result, Slot
from diagnostics.rules import local_day_start
from directory.validators import normalise_nhs_number

# Dates outside these bounds select everything (or nothing) anyway; clamping them keeps the
# arithmetic of a day's end from overflowing on a date such as 9999-12-31.
EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(9000, 1, 1)


class SlotFilterSet(django_filters.FilterSet):
    """Slots by test type (SNOMED CT code), hub (ODS code) and local dates (inclusive)."""

    test_type = django_filters.CharFilter(
        method="filter_test_type", label="Test type", help_text="SNOMED CT code, e.g. 26604007"
    )
    hub = django_filters.CharFilter(method="filter_hub", label="Hub", help_text="ODS code")
    date_from = django_filters.DateFilter(
        method="filter_date_from", label="From", help_text="First day (inclusive), YYYY-MM-DD"
    )
    date_to = django_filters.DateFilter(
        method="filter_date_to", label="To", help_text="Last day (inclusive), YYYY-MM-DD"
    )

    class Meta:
        model = Slot
        fields: list[str] = []

    def filter_test_type(self, queryset, name, value):
        return queryset.filter(test_type__code=value.strip())

    def filter_hub(self, queryset, name, value):
        return queryset.filter(hub__ods_code=value.strip().upper())

    def filter_date_from(self, queryset, name, value):
        value = min(max(value, EARLIEST), LATEST)
        return queryset.filter(starts_at__gte=local_day_start(value))

    def filter_date_to(self, queryset, name, value):
        value = min(max(value, EARLIEST), LATEST)
        return queryset.filter(starts_at__lt=local_day_start(value + dt.timedelta(days=1)))


class ResultFilterSet(django_filters.FilterSet):
    responsible = django_filters.CharFilter(
        method="filter_responsible",
        label="Responsible",
        help_text="The responsible clinician's username, or `me`",
    )
    acknowledged = django_filters.BooleanFilter(method="filter_acknowledged", label="Acknowledged")
    nhs_number = django_filters.CharFilter(
        method="filter_nhs_number", label="NHS number", help_text="10 digits"
    )

    class Meta:
        model = Result
        fields: list[str] = []

    def filter_responsible(self, queryset, name, value):
        value = value.strip()
        if value.lower() == "me":
            return queryset.filter(responsible_id=getattr(self.request.user, "pk", None))
        return queryset.filter(responsible__username=value)

    def filter_acknowledged(self, queryset, name, value):
        return queryset.filter(acknowledged_at__isnull=not value)

    def filter_nhs_number(self, queryset, name, value):
        return queryset.filter(booking__patient__nhs_number=normalise_nhs_number(value))
