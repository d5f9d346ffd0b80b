"""The inbox's filter, shared by the browser inbox and ``GET /api/v1/alerts/``."""

from __future__ import annotations

import django_filters
from django import forms

from alerts.models import Alert

TRUE_VALUES = frozenset({"true", "True", "1"})
FALSE_VALUES = frozenset({"false", "False", "0"})


class StrictBooleanField(forms.NullBooleanField):
    """``true``/``false`` (or ``1``/``0``), or absent; anything else is an error naming the
    field, where Django's NullBooleanField would quietly read it as "absent"."""

    widget = forms.TextInput

    def to_python(self, value):
        if value in (None, ""):
            return None
        if value is True or value in TRUE_VALUES:
            return True
        if value is False or value in FALSE_VALUES:
            return False
        raise forms.ValidationError("Must be true or false.", code="invalid")

    def validate(self, value):
        pass


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class AlertFilterSet(django_filters.FilterSet):
    unread = StrictBooleanFilter(
        method="filter_unread",
        label="Unread",
        help_text="true: unread alerts only; false: read ones only; absent: all",
    )

    class Meta:
        model = Alert
        fields: list[str] = []

    def filter_unread(self, queryset, name, value):
        return queryset.filter(read_at__isnull=value)
