"""Queue filters, shared by the browser queue and ``GET /api/v1/queue/`` (docs/product.md §7)."""

from __future__ import annotations

import django_filters
from django.db.models import Subquery
from django.utils import timezone

from directory.models import Organisation
from triage.models import Category, Referral

QUEUE_CATEGORY_CHOICES = [(c.value, c.label) for c in Category if c.value not in ("P5", "P6")]


class QueueFilterSet(django_filters.FilterSet):
    provider = django_filters.CharFilter(
        method="filter_provider", label="Provider (ODS code)", help_text="ODS code, e.g. R1H"
    )
    treatment_function = django_filters.CharFilter(
        field_name="treatment_function_id",
        label="Treatment function",
        help_text="NHS treatment function code, e.g. 110",
    )
    category = django_filters.ChoiceFilter(
        field_name="effective_category",
        choices=QUEUE_CATEGORY_CHOICES,
        label="Category",
        help_text="Effective category: the reviewed one, or the provisional one before review",
    )
    breached = django_filters.BooleanFilter(
        method="filter_breached", label="Breached", help_text="Past the category's target date"
    )
    reviewed = django_filters.BooleanFilter(
        method="filter_reviewed", label="Reviewed", help_text="Has a reviewed clinical category"
    )
    panel = django_filters.UUIDFilter(field_name="panel__uuid", label="Panel", help_text="Panel id")

    class Meta:
        model = Referral
        fields: list[str] = []

    def filter_provider(self, queryset, name, value):
        # The ODS code is resolved inside the same statement (an InitPlan), so PostgreSQL
        # still walks the provider's queue index in order, without a second round trip; an
        # unknown code matches nothing.
        provider_id = (
            Organisation.objects.filter(ods_code=value.strip().upper()).order_by().values("id")[:1]
        )
        return queryset.filter(provider_id=Subquery(provider_id))

    def filter_breached(self, queryset, name, value):
        today = timezone.localdate()
        return (
            queryset.filter(target_date__lt=today)
            if value
            else queryset.filter(target_date__gte=today)
        )

    def filter_reviewed(self, queryset, name, value):
        return queryset.filter(category__isnull=not value)
