"""Input fields: lookups of the NHS identifiers clients send (ODS codes, treatment function
codes, NHS numbers), each failing with an error that names its field."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from directory import selectors as directory
from directory.validators import normalise_nhs_number, validate_nhs_number
from triage.models import TreatmentFunction


class OdsCodeField(serializers.CharField):
    """An organisation by its ODS code."""

    def to_internal_value(self, data):
        code = super().to_internal_value(data)
        organisation = directory.organisation_get(ods_code=code)
        if organisation is None:
            raise serializers.ValidationError(f"No organisation with ODS code {code.upper()}.")
        return organisation


class TreatmentFunctionField(serializers.CharField):
    """A treatment function by its NHS Data Dictionary code."""

    def to_internal_value(self, data):
        code = super().to_internal_value(data)
        treatment_function = TreatmentFunction.objects.filter(code=code).first()
        if treatment_function is None:
            raise serializers.ValidationError(f"No treatment function with code {code}.")
        return treatment_function


class ReferrablePatientField(serializers.CharField):
    """A patient registered at the caller's practice, by NHS number (spaces or dashes allowed):
    the only patients a GP may refer or ask Advice & Guidance about. Sight of a patient through a
    panel or a referral is never enough (docs/product.md §1)."""

    def to_internal_value(self, data):
        digits = normalise_nhs_number(super().to_internal_value(data))
        try:
            validate_nhs_number(digits)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc
        patient = (
            directory.patients_referrable_by(self.context["request"].user)
            .filter(nhs_number=digits)
            .first()
        )
        if patient is None:
            raise serializers.ValidationError(
                "No patient registered at your practice has this NHS number."
            )
        return patient
