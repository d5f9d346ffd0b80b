"""Input serializers: they only parse and look up; the services hold the rules. Money is a
decimal in pounds (a string such as "4.20", or a JSON number), never a float."""

from __future__ import annotations

from decimal import Decimal

from rest_framework import serializers

from directory.models import OrganisationKind
from prescribing.api.serializers.fields import (
    BudgetField,
    FinancialYearField,
    OrganisationOfKindField,
    UsernameField,
    VisibleAgreementField,
    VisiblePatientField,
)
from prescribing.services.prescriptions import (
    MAX_DAYS_SUPPLY,
    MAX_ITEM_COST,
    MAX_ITEMS,
    MAX_QUANTITY,
)
from prescribing.services.shared_care import MAX_INTERVAL_DAYS, MAX_MONITORING_TESTS
from prescribing.validators import DMD_CODE_VALIDATOR, SNOMED_CODE_VALIDATOR


def money(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=14, decimal_places=2, coerce_to_string=True, **kwargs
    )


class BudgetCreateInputSerializer(serializers.Serializer):
    icb = OrganisationOfKindField(kind=OrganisationKind.ICB, help_text="ODS code of the ICB.")
    financial_year = FinancialYearField(help_text='e.g. "2026/27".')
    amount = money(min_value=Decimal("0.01"), help_text='Pounds, e.g. "250000.00".')
    therapeutic_area = serializers.CharField(
        max_length=120, required=False, allow_blank=True, default=""
    )
    committee = serializers.ListField(
        child=UsernameField(),
        min_length=1,
        max_length=50,
        help_text="Usernames: clinicians of the ICB from primary, community and secondary care.",
    )


class PrescriptionItemInputSerializer(serializers.Serializer):
    medicine = serializers.CharField(max_length=200)
    dmd_code = serializers.CharField(
        max_length=18,
        required=False,
        allow_blank=True,
        default="",
        validators=[DMD_CODE_VALIDATOR],
        help_text="dm+d code where known.",
    )
    quantity = serializers.IntegerField(min_value=1, max_value=MAX_QUANTITY)
    days_supply = serializers.IntegerField(min_value=1, max_value=MAX_DAYS_SUPPLY)
    cost = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0"),
        max_value=MAX_ITEM_COST,
        coerce_to_string=True,
        help_text='Pounds, e.g. "4.20".',
    )


class PrescriptionCreateInputSerializer(serializers.Serializer):
    nhs_number = VisiblePatientField(help_text="The NHS number of a patient the caller may see.")
    pharmacy = OrganisationOfKindField(
        kind=OrganisationKind.PHARMACY, help_text="ODS code of the nominated pharmacy."
    )
    budget = BudgetField(help_text="The id of the joint budget it is charged to.")
    discharge = serializers.BooleanField(required=False, default=False)
    short_supply_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Why a discharge prescription covers fewer than 7 days.",
    )
    shared_care = VisibleAgreementField(
        required=False,
        allow_null=True,
        default=None,
        help_text="The shared care agreement it is prescribed under (accepted by the GP).",
    )
    items = PrescriptionItemInputSerializer(many=True, min_length=1, max_length=MAX_ITEMS)


class PrescriptionCancelInputSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class MonitoringInputSerializer(serializers.Serializer):
    test_type = serializers.CharField(
        max_length=18, validators=[SNOMED_CODE_VALIDATOR], help_text="SNOMED CT code."
    )
    interval_days = serializers.IntegerField(min_value=1, max_value=MAX_INTERVAL_DAYS)


class AgreementCreateInputSerializer(serializers.Serializer):
    nhs_number = VisiblePatientField()
    gp = UsernameField(help_text="The username of a GP of the patient's registered practice.")
    medicine = serializers.CharField(max_length=200)
    dmd_code = serializers.CharField(
        max_length=18, required=False, allow_blank=True, default="", validators=[DMD_CODE_VALIDATOR]
    )
    monitoring = MonitoringInputSerializer(many=True, max_length=MAX_MONITORING_TESTS)


class AgreementReasonInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)
