"""Input serializers: they only parse and look up; the services hold the rules."""

from __future__ import annotations

from rest_framework import serializers

from triage.api.serializers.fields import (
    OdsCodeField,
    ReferrablePatientField,
    TreatmentFunctionField,
)
from triage.models import REVIEWED_CATEGORIES, Category, HarmOutcome, Outcome, Priority, Status


def _labelled_choice(choices, **kwargs) -> serializers.ChoiceField:
    """A choice field whose error names the choices by their labels, as the services do."""
    labels = "; ".join(str(label) for _, label in choices)
    return serializers.ChoiceField(
        choices=choices,
        error_messages={"invalid_choice": f"Choose one of: {labels}."},
        **kwargs,
    )


class ReferralCreateInputSerializer(serializers.Serializer):
    nhs_number = ReferrablePatientField(
        help_text="The NHS number of a patient registered at the caller's practice."
    )
    ubrn = serializers.CharField(required=False, allow_blank=True, default="")
    external_id = serializers.CharField(required=False, allow_blank=True, default="", max_length=64)
    provider = OdsCodeField(help_text="ODS code of the trust or community provider.")
    treatment_function = TreatmentFunctionField(help_text="Treatment function code, e.g. 110.")
    priority = _labelled_choice(Priority.choices)
    clock_start = serializers.DateField(help_text="RTT clock start (English local date).")
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ReviewInputSerializer(serializers.Serializer):
    category = _labelled_choice([(c, Category(c).label) for c in REVIEWED_CATEGORIES])
    outcome = _labelled_choice(Outcome.choices)
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
    confirm_urgent_return = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Required (true) to return a P1a or P1b referral to the referrer.",
    )


class BookInputSerializer(serializers.Serializer):
    appointment_on = serializers.DateField()


class StopClockInputSerializer(serializers.Serializer):
    outcome = _labelled_choice([(s.value, s.label) for s in (Status.TREATED, Status.DISCHARGED)])
    note = serializers.CharField(required=False, allow_blank=True, default="")


class CancelInputSerializer(serializers.Serializer):
    reason = serializers.CharField()


class HarmReviewInputSerializer(serializers.Serializer):
    outcome = _labelled_choice(HarmOutcome.choices)
    notes = serializers.CharField()
    new_category = _labelled_choice(
        [(c.value, c.label) for c in Category], required=False, default=""
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
    priority = _labelled_choice(Priority.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")
