"""Output serializers: they only present. Money is a decimal string in pounds ("1234.50").
Prescriptions and agreements are shown to clinicians with a relationship only (managers and
administrators see budgets, which name no patient)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from prescribing import rules, selectors
from prescribing.models import AgreementStatus, PrescriptionStatus


def money(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=16, decimal_places=2, coerce_to_string=True, read_only=True, **kwargs
    )


class BudgetOutputSerializer(serializers.Serializer):
    """A joint budget and its position (``budget.figures`` is set by the view)."""

    id = serializers.UUIDField(source="uuid")
    icb = serializers.CharField(source="icb.ods_code")
    financial_year = serializers.SerializerMethodField()
    amount = money()
    therapeutic_area = serializers.CharField()
    committee = serializers.SerializerMethodField()
    spent = money(source="figures.spent", help_text="Dispensed.")
    committed = money(source="figures.committed", help_text="Issued, not yet dispensed.")
    remaining = money(source="figures.remaining", help_text="Amount − spent − committed.")
    forecast_outturn = money(
        source="figures.forecast_outturn",
        help_text="The year's spend at the current run rate (spent and committed so far).",
    )

    @extend_schema_field(serializers.CharField(help_text='e.g. "2026/27"'))
    def get_financial_year(self, budget) -> str:
        return rules.financial_year_label(budget.financial_year)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_committee(self, budget) -> list[str]:
        return sorted(member.username for member in budget.committee.all())


class SpendRowOutputSerializer(serializers.Serializer):
    spent = money()
    committed = money()
    forecast_outturn = money()


class OrganisationSpendOutputSerializer(SpendRowOutputSerializer):
    organisation = serializers.CharField(help_text="ODS code of the prescribers' organisation.")
    name = serializers.CharField()
    sector = serializers.CharField(allow_null=True, help_text="primary, community or secondary")


class SectorSpendOutputSerializer(SpendRowOutputSerializer):
    sector = serializers.CharField(help_text="primary, community or secondary")


class BudgetDetailOutputSerializer(BudgetOutputSerializer):
    """A budget with its spend and forecast outturn by prescriber organisation and by sector
    (``budget.breakdown`` is set by the view)."""

    by_organisation = OrganisationSpendOutputSerializer(
        source="breakdown.organisations", many=True, read_only=True
    )
    by_sector = SectorSpendOutputSerializer(source="breakdown.sectors", many=True, read_only=True)


class PrescriptionItemOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uuid")
    medicine = serializers.CharField()
    dmd_code = serializers.CharField()
    quantity = serializers.IntegerField()
    days_supply = serializers.IntegerField()
    cost = money()


class PatientNamedSerializer(serializers.Serializer):
    nhs_number = serializers.CharField(source="patient.nhs_number")
    patient_name = serializers.CharField(source="patient.full_name")


class PrescriptionOutputSerializer(PatientNamedSerializer):
    id = serializers.UUIDField(source="uuid")
    prescriber = serializers.CharField(source="prescriber.username")
    prescriber_organisation = serializers.CharField(source="prescriber_organisation.ods_code")
    pharmacy = serializers.CharField(source="pharmacy.ods_code")
    budget = serializers.UUIDField(source="budget.uuid")
    discharge = serializers.BooleanField()
    short_supply_reason = serializers.CharField()
    shared_care = serializers.UUIDField(source="shared_care.uuid", allow_null=True, default=None)
    status = serializers.ChoiceField(choices=PrescriptionStatus.choices)
    total_cost = money()
    issued_at = serializers.DateTimeField()
    dispensed_at = serializers.DateTimeField(allow_null=True)
    cancelled_at = serializers.DateTimeField(allow_null=True)
    items = PrescriptionItemOutputSerializer(many=True)


class MonitoringOutputSerializer(serializers.Serializer):
    test_type = serializers.CharField(help_text="SNOMED CT code.")
    name = serializers.CharField()
    interval_days = serializers.IntegerField()
    last_booked_on = serializers.DateField(
        allow_null=True, help_text="The patient's latest booking of this test at a hub."
    )
    due_on = serializers.DateField(allow_null=True, help_text="Null until the GP accepts.")
    due = serializers.BooleanField()
    booking_url = serializers.CharField(
        allow_null=True, help_text="The diagnostics booking page, while the agreement is active."
    )


class AgreementOutputSerializer(PatientNamedSerializer):
    """A shared care agreement, its monitoring with when each test is next due."""

    id = serializers.UUIDField(source="uuid")
    consultant = serializers.CharField(source="consultant.username")
    gp = serializers.CharField(source="gp.username")
    medicine = serializers.CharField()
    dmd_code = serializers.CharField()
    status = serializers.ChoiceField(choices=AgreementStatus.choices)
    monitoring = serializers.SerializerMethodField()
    proposed_at = serializers.DateTimeField()
    responded_at = serializers.DateTimeField(allow_null=True)
    decline_reason = serializers.CharField()
    activated_at = serializers.DateTimeField(allow_null=True)
    ended_at = serializers.DateTimeField(allow_null=True)
    ended_by = serializers.CharField(source="ended_by.username", allow_null=True, default=None)
    end_reason = serializers.CharField()

    @extend_schema_field(MonitoringOutputSerializer(many=True))
    def get_monitoring(self, agreement) -> list[dict]:
        rows = selectors.monitoring_rows(
            agreement, user=self.context["request"].user, booked=self.context.get("booked")
        )
        return MonitoringOutputSerializer(rows, many=True).data
