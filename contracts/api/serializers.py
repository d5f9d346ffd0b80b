"""Input serializers only parse and look up; the services hold the rules. Output serializers
document the rows the presenters build (docs/product.md §7)."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from contracts import selectors
from contracts.models import (
    BREACH_DUTY_CHOICES,
    OBLIGATION_DUTY_CHOICES,
    DischargeKind,
    Duty,
    FitNote,
    ObligationStatus,
)
from directory import selectors as directory
from directory.validators import normalise_nhs_number, validate_nhs_number


def _choice(choices, **kwargs) -> serializers.ChoiceField:
    """A choice field whose error lists the codes to choose from."""
    codes = ", ".join(str(code) for code, _ in choices)
    return serializers.ChoiceField(
        choices=choices,
        error_messages={"invalid_choice": f"Choose one of: {codes}."},
        **kwargs,
    )


class _PatientField(serializers.CharField):
    """A patient by NHS number (spaces or dashes allowed), among those the caller may use."""

    missing = "No patient you may see has this NHS number."

    def lookup(self, user, digits):
        raise NotImplementedError

    def to_internal_value(self, data):
        digits = normalise_nhs_number(super().to_internal_value(data))
        try:
            validate_nhs_number(digits)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc
        patient = self.lookup(self.context["request"].user, digits)
        if patient is None:
            raise serializers.ValidationError(self.missing)
        return patient


class EventPatientField(_PatientField):
    """A patient the provider's clinician may already see (docs/contracts.md, Access)."""

    def lookup(self, user, digits):
        return selectors.patient_for_event(user=user, nhs_number=digits)


class ReportPatientField(_PatientField):
    """A patient registered at the reporting GP's practice."""

    missing = "No patient registered at your practice has this NHS number."

    def lookup(self, user, digits):
        return selectors.patient_for_report(user=user, nhs_number=digits)


class ProviderField(serializers.CharField):
    """A trust or community provider by ODS code."""

    def to_internal_value(self, data):
        code = super().to_internal_value(data)
        organisation = directory.organisation_get(ods_code=code)
        if organisation is None:
            raise serializers.ValidationError(f"No organisation with ODS code {code.upper()}.")
        return organisation


class ContractDischargeInputSerializer(serializers.Serializer):
    nhs_number = EventPatientField(help_text="A patient the caller's organisation may see.")
    kind = _choice(DischargeKind.choices)
    discharged_at = serializers.DateTimeField(help_text="ISO 8601 with offset; not in the future.")
    medication_days = serializers.IntegerField(
        min_value=0,
        max_value=366,
        allow_null=True,
        help_text="Days of medication supplied; null when none was prescribed.",
    )
    fit_note = _choice(
        FitNote.choices,
        help_text="not_needed; issued (was due and issued); due (was due, not issued yet).",
    )


class ContractAttendanceInputSerializer(serializers.Serializer):
    nhs_number = EventPatientField(help_text="A patient the caller's organisation may see.")
    attended_at = serializers.DateTimeField(help_text="ISO 8601 with offset; not in the future.")
    gp_action_needed = serializers.BooleanField(help_text="True opens the clinic letter.")
    fit_note = _choice(FitNote.choices, required=False, default=FitNote.NOT_NEEDED)


class ObligationFulfilInputSerializer(serializers.Serializer):
    at = serializers.DateTimeField(
        required=False,
        allow_null=True,
        default=None,
        help_text="When the document was sent or the action done; now if left out. Never in "
        "the future.",
    )
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class BreachReportInputSerializer(serializers.Serializer):
    duty = _choice(BREACH_DUTY_CHOICES)
    provider = ProviderField(help_text="ODS code of the trust or community provider.")
    nhs_number = ReportPatientField(help_text="A patient registered at the caller's practice.")
    occurred_on = serializers.DateField(help_text="When the practice was asked to act.")
    description = serializers.CharField(max_length=4000, help_text="What was asked, by whom.")


class BreachReportLetterInputSerializer(serializers.Serializer):
    letter = serializers.CharField(max_length=20000, trim_whitespace=False)


class ObligationOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    duty = _choice(OBLIGATION_DUTY_CHOICES)
    provider = serializers.CharField(help_text="ODS code")
    nhs_number = serializers.CharField(allow_null=True, help_text="Null for managers.")
    patient_name = serializers.CharField(help_text="A stable pseudonym for managers.")
    event_at = serializers.DateTimeField(help_text="The discharge, attendance or result.")
    due_at = serializers.DateTimeField()
    status = _choice(ObligationStatus.choices, help_text="As of now.")
    fulfilled_at = serializers.DateTimeField(allow_null=True)
    source = serializers.ChoiceField(choices=["discharge", "attendance", "result"])


class ContractDischargeOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uuid")
    provider = serializers.CharField(source="provider.ods_code")
    nhs_number = serializers.CharField(source="patient.nhs_number")
    kind = serializers.CharField()
    discharged_at = serializers.DateTimeField()
    medication_days = serializers.IntegerField(allow_null=True)
    fit_note = serializers.CharField()
    obligations = ObligationOutputSerializer(many=True, source="obligation_rows")


class ContractAttendanceOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uuid")
    provider = serializers.CharField(source="provider.ods_code")
    nhs_number = serializers.CharField(source="patient.nhs_number")
    attended_at = serializers.DateTimeField()
    gp_action_needed = serializers.BooleanField()
    fit_note = serializers.CharField()
    obligations = ObligationOutputSerializer(many=True, source="obligation_rows")


class BreachReportOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    duty = _choice(BREACH_DUTY_CHOICES)
    provider = serializers.CharField(help_text="ODS code")
    practice = serializers.CharField(help_text="ODS code of the reporting practice")
    nhs_number = serializers.CharField()
    occurred_on = serializers.DateField()
    description = serializers.CharField()
    letter = serializers.CharField(help_text="The drafted letter to the trust and the ICB.")
    reported_by = serializers.CharField(help_text="Username")
    created_at = serializers.DateTimeField()
    letter_edited_at = serializers.DateTimeField(allow_null=True)


class ComplianceRowSerializer(serializers.Serializer):
    provider = serializers.CharField(help_text="ODS code")
    provider_name = serializers.CharField()
    duty = _choice(Duty.choices)
    due = serializers.IntegerField(help_text="Fallen due: met + met_late + overdue.")
    met = serializers.IntegerField()
    met_late = serializers.IntegerField()
    overdue = serializers.IntegerField(help_text="Past due and unfulfilled now.")
    open = serializers.IntegerField(help_text="Not yet due.")
    on_time_rate = serializers.FloatField(
        allow_null=True, help_text="met / due, 0 to 1; null when nothing has fallen due."
    )
    breach_reports = serializers.IntegerField()


class ComplianceWeekRowSerializer(ComplianceRowSerializer):
    week_start = serializers.DateField(help_text="Monday of the week (English local time).")


class ComplianceListSerializer(serializers.Serializer):
    results = ComplianceRowSerializer(many=True)


class ComplianceWeekListSerializer(serializers.Serializer):
    results = ComplianceWeekRowSerializer(many=True)
