"""Input serializers: they only parse and look up; the services hold the rules."""

from __future__ import annotations

from rest_framework import serializers

from triage.api.serializers.fields import (
    OdsCodeField,
    ReferrablePatientField,
    TreatmentFunctionField,
)
from triage.models import REVIEWED_CATEGORIES, Category, HarmOutcome, Outcome, Priority, Status


class ReferralCreateInputSerializer(serializers.Serializer):
    nhs_number = ReferrablePatientField(
        help_text="The NHS number of a patient registered at the caller's practice."
    )
    ubrn = serializers.CharField(required=False, allow_blank=True, default="")
    external_id = serializers.CharField(required=False, allow_blank=True, default="", max_length=64)
    provider = OdsCodeField(help_text="ODS code of the trust or community provider.")
    treatment_function = TreatmentFunctionField(help_text="Treatment function code, e.g. 110.")
    priority = serializers.ChoiceField(choices=Priority.choices)
    clock_start = serializers.DateField(help_text="RTT clock start (English local date).")
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ReviewInputSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=[(c, c) for c in REVIEWED_CATEGORIES])
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    rationale = serializers.CharField()
    version = serializers.IntegerField(
        min_value=1, help_text="The referral version the reviewer saw (from the referral)."
    )
    contact_on = serializers.DateField(required=False, allow_null=True, default=None)
    question = serializers.CharField(required=False, allow_blank=True, default="")
    redirect_provider = OdsCodeField(required=False, allow_null=True, default=None)
    redirect_treatment_function = TreatmentFunctionField(
        required=False, allow_null=True, default=None
    )


class BookInputSerializer(serializers.Serializer):
    appointment_on = serializers.DateField()


class StopClockInputSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(
        choices=[(s.value, s.label) for s in (Status.TREATED, Status.DISCHARGED)]
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")


class CancelInputSerializer(serializers.Serializer):
    reason = serializers.CharField()


class HarmReviewInputSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=HarmOutcome.choices)
    notes = serializers.CharField()
    new_category = serializers.ChoiceField(
        choices=[(c.value, c.label) for c in Category], required=False, default=""
    )
    patient_agreed = serializers.BooleanField(required=False, default=False)


class AssignPanelInputSerializer(serializers.Serializer):
    panel = serializers.UUIDField(help_text="The panel's id.")


class AdviceGuidanceInputSerializer(serializers.Serializer):
    nhs_number = ReferrablePatientField()
    provider = OdsCodeField()
    treatment_function = TreatmentFunctionField()
    question = serializers.CharField()


class AdviceReplyInputSerializer(serializers.Serializer):
    answer = serializers.CharField()


class AdviceConvertInputSerializer(serializers.Serializer):
    priority = serializers.ChoiceField(choices=Priority.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")
