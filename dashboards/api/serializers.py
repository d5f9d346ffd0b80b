"""The dashboards API's output shapes (docs/product.md §7), for the schema and the JSON; the
rows are built by ``dashboards.selectors``. Aggregates only: no field names a patient."""

from __future__ import annotations

from rest_framework import serializers


class BandsSerializer(serializers.Serializer):
    # The band names are the contract's ("0-18", …), which are not Python names.
    def get_fields(self):
        return {
            label: serializers.IntegerField(help_text=f"Open referrals waiting {label} weeks.")
            for label in ("0-18", "18-52", "52-78", "78-104", "104+")
        }


class BacklogOutputSerializer(serializers.Serializer):
    open = serializers.IntegerField(help_text="Open referrals, the deferred (P5/P6) included.")
    bands = BandsSerializer(
        help_text="Completed weeks waited, half-open: exactly 18 weeks is in 18-52."
    )
    breached = serializers.IntegerField(help_text="Past their category's target date.")
    unreviewed = serializers.IntegerField(help_text="No clinical category reviewed yet.")
    advice_pending = serializers.IntegerField(help_text="Advice requests awaiting a reply.")
    diagnostics_over_6_weeks = serializers.IntegerField(
        help_text="Diagnostic requests waiting 6 weeks or more (DM01), latest snapshot."
    )
    as_of = serializers.DateTimeField(
        allow_null=True, help_text="When the oldest service's backlog counts were computed."
    )


class ServiceRowOutputSerializer(serializers.Serializer):
    provider = serializers.CharField(help_text="ODS code.")
    provider_name = serializers.CharField()
    treatment_function = serializers.CharField(help_text="Treatment function code.")
    treatment_function_name = serializers.CharField()
    demand_per_week = serializers.FloatField(help_text="Referrals received a week (12-week mean).")
    capacity_per_week = serializers.FloatField(help_text="Clocks stopped a week (12-week mean).")
    load = serializers.FloatField(
        allow_null=True, help_text="Demand / capacity; null with no capacity."
    )
    queue_size = serializers.IntegerField(help_text="Open referrals.")
    target_queue_size = serializers.FloatField(help_text="Demand × target wait (weeks) / 4.")
    relief_capacity = serializers.FloatField(
        help_text="Extra removals a week that bring the queue to its target by `relief_by`."
    )
    getting_worse = serializers.BooleanField(
        help_text="Mean wait or breaches rose several weeks running."
    )
    mean_weeks_waited = serializers.FloatField()
    breached = serializers.IntegerField()


class ForecastRowOutputSerializer(serializers.Serializer):
    week_start = serializers.DateField(help_text="The day this row's figures are forecast for.")
    queue_size = serializers.IntegerField()
    over_18_weeks = serializers.IntegerField()
    over_52_weeks = serializers.IntegerField()


class ForecastOutputSerializer(serializers.Serializer):
    start = serializers.DateField(allow_null=True, help_text="The snapshot forecast from.")
    weeks = serializers.IntegerField()
    extra_capacity = serializers.FloatField(help_text="Extra removals a week (the what-if).")
    demand_per_week = serializers.FloatField()
    capacity_per_week = serializers.FloatField()
    queue_size = serializers.IntegerField()
    target_queue_size = serializers.FloatField()
    reaches_target = serializers.DateField(
        allow_null=True, help_text="First week at or under the target queue size, if any."
    )
    no_18_week_waits = serializers.DateField(
        allow_null=True, help_text="First week with no wait of 18 weeks or more, if any."
    )
    results = ForecastRowOutputSerializer(many=True)


class TrendRowOutputSerializer(serializers.Serializer):
    day = serializers.DateField()
    open = serializers.IntegerField()
    band_0_18 = serializers.IntegerField()
    band_18_52 = serializers.IntegerField()
    band_52_78 = serializers.IntegerField()
    band_78_104 = serializers.IntegerField()
    band_104_plus = serializers.IntegerField()
    breached = serializers.IntegerField()
    unreviewed = serializers.IntegerField()
    deferred = serializers.IntegerField()
    advice_pending = serializers.IntegerField()
    reviews_7_days = serializers.IntegerField(help_text="Review throughput: the last 7 days.")
    received_12_weeks = serializers.IntegerField()
    stopped_12_weeks = serializers.IntegerField()
    diagnostics_waiting = serializers.IntegerField()
    diagnostics_over_6_weeks = serializers.IntegerField()
    budget_amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    budget_spent = serializers.DecimalField(max_digits=14, decimal_places=2)
    budget_committed = serializers.DecimalField(max_digits=14, decimal_places=2)
    obligations_due = serializers.IntegerField()
    obligations_met = serializers.IntegerField()
    obligations_met_late = serializers.IntegerField()
    obligations_overdue = serializers.IntegerField()
