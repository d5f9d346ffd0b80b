"""Triage API serializers: input serializers only parse and look up; output serializers only
present. Writes go through ``triage.services``; reads through ``triage.selectors``."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from directory import selectors as directory
from directory.models import User
from directory.presenters import patient_identity
from directory.validators import normalise_nhs_number, validate_nhs_number
from triage.models import (
    REVIEWED_CATEGORIES,
    Category,
    HarmOutcome,
    Outcome,
    Priority,
    Status,
    TreatmentFunction,
)
from triage.presenters import QUEUE_ROW_COLUMNS, Column

# Input: lookups of the NHS identifiers clients send (ODS codes, treatment function codes,
# NHS numbers), each failing with an error that names its field.


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


class VisiblePatientField(serializers.CharField):
    """A patient the caller may see, by NHS number (spaces or dashes allowed)."""

    def to_internal_value(self, data):
        digits = normalise_nhs_number(super().to_internal_value(data))
        try:
            validate_nhs_number(digits)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc
        patient = (
            directory.patients_visible_to(self.context["request"].user)
            .filter(nhs_number=digits)
            .first()
        )
        if patient is None:
            raise serializers.ValidationError("No patient you may see has this NHS number.")
        return patient


class ReferralCreateInputSerializer(serializers.Serializer):
    nhs_number = VisiblePatientField(help_text="The patient's NHS number.")
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


class PanelCreateInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    provider = OdsCodeField()
    treatment_function = TreatmentFunctionField()
    members = serializers.ListField(
        child=serializers.UUIDField(), allow_empty=False, help_text="Ids of the member users."
    )

    def validate_members(self, value):
        users = list(User.objects.filter(uuid__in=value).select_related("organisation"))
        missing = sorted({str(v) for v in value} - {str(u.uuid) for u in users})
        if missing:
            raise serializers.ValidationError(f"No user with id {', '.join(missing)}.")
        return users


class PanelAssignInputSerializer(serializers.Serializer):
    """Either a list of referral ids, or queue filters choosing the referrals."""

    referrals = serializers.ListField(child=serializers.UUIDField(), required=False)
    filters = serializers.DictField(
        child=serializers.CharField(),
        required=False,
        help_text="Queue filters: provider, treatment_function, category, breached, reviewed.",
    )

    def validate(self, attrs):
        if ("referrals" in attrs) == ("filters" in attrs):
            raise serializers.ValidationError(
                {"referrals": ["Give either referrals or filters, not both or neither."]}
            )
        return attrs


class AdviceGuidanceInputSerializer(serializers.Serializer):
    nhs_number = VisiblePatientField()
    provider = OdsCodeField()
    treatment_function = TreatmentFunctionField()
    question = serializers.CharField()


class AdviceReplyInputSerializer(serializers.Serializer):
    answer = serializers.CharField()


class AdviceConvertInputSerializer(serializers.Serializer):
    priority = serializers.ChoiceField(choices=Priority.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")


# Output. ``pseudonymise`` in the context hides patient identifiers and free text (docs/product.md §1:
# managers see no names, NHS numbers or dates of birth).


_ROW_FIELDS = {
    "uuid": serializers.UUIDField,
    "str": serializers.CharField,
    "date": serializers.DateField,
    "int": serializers.IntegerField,
    "bool": serializers.BooleanField,
}


def _row_field(column: Column) -> serializers.Field:
    kwargs: dict = {}
    if column.nullable:
        kwargs["allow_null"] = True
    if column.help_text:
        kwargs["help_text"] = column.help_text
    if column.kind == "choice":
        return serializers.ChoiceField(choices=list(column.choices), **kwargs)
    return _ROW_FIELDS[column.kind](**kwargs)


# A queue row exactly as docs/product.md §7 names it, declared once in
# ``triage.presenters.QUEUE_ROW_COLUMNS`` (rows are built by ``queue_row_values``).
QueueRowOutputSerializer = type(
    "QueueRowOutputSerializer",
    (serializers.Serializer,),
    {
        "__doc__": "A queue row exactly as docs/product.md §7 names it.",
        "__module__": __name__,
        **{column.name: _row_field(column) for column in QUEUE_ROW_COLUMNS},
    },
)


class PseudonymisingSerializer(serializers.Serializer):
    """Blanks ``identifiable_fields`` when the context asks for pseudonymised output."""

    identifiable_fields: tuple[str, ...] = ()

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if self.context.get("pseudonymise"):
            for name in self.identifiable_fields:
                data[name] = None
        return data


class PatientIdentityMixin(serializers.Serializer):
    nhs_number = serializers.CharField(source="patient.nhs_number", allow_null=True)
    patient_name = serializers.SerializerMethodField()

    @extend_schema_field(serializers.CharField(help_text="A stable pseudonym for managers."))
    def get_patient_name(self, obj) -> str:
        patient = obj.patient
        return patient_identity(
            patient_uuid=patient.uuid,
            nhs_number=patient.nhs_number,
            family_name=patient.family_name,
            given_name=patient.given_name,
            pseudonymise=bool(self.context.get("pseudonymise")),
        )["patient_name"]


class ReferralOutputSerializer(PatientIdentityMixin, PseudonymisingSerializer):
    identifiable_fields = ("nhs_number", "date_of_birth", "reason")

    id = serializers.UUIDField(source="uuid")
    ubrn = serializers.CharField(allow_null=True)
    external_id = serializers.CharField()
    date_of_birth = serializers.DateField(source="patient.date_of_birth", allow_null=True)
    referring_practice = serializers.CharField(source="referring_practice.ods_code")
    provider = serializers.CharField(source="provider.ods_code")
    treatment_function = serializers.CharField(source="treatment_function_id")
    priority = serializers.ChoiceField(choices=Priority.choices)
    status = serializers.ChoiceField(choices=Status.choices)
    category = serializers.CharField(allow_null=True)
    effective_category = serializers.CharField()
    clock_start = serializers.DateField()
    target_date = serializers.DateField(allow_null=True)
    position = serializers.IntegerField(allow_null=True)
    panel = serializers.UUIDField(source="panel.uuid", allow_null=True, default=None)
    appointment_on = serializers.DateField(allow_null=True)
    reason = serializers.CharField(allow_null=True)
    version = serializers.IntegerField(help_text="Send it back with a review (HTTP 409 if stale).")
    created_at = serializers.DateTimeField()


class ReferralEventOutputSerializer(PseudonymisingSerializer):
    identifiable_fields = ("note",)

    at = serializers.DateTimeField()
    kind = serializers.CharField()
    actor = serializers.CharField(source="actor.display_name", allow_null=True, default=None)
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    clock_start_before = serializers.DateField(allow_null=True)
    clock_start_after = serializers.DateField(allow_null=True)
    note = serializers.CharField(allow_null=True)


class ReviewOutputSerializer(PseudonymisingSerializer):
    identifiable_fields = ("rationale",)

    id = serializers.UUIDField(source="uuid")
    referral = serializers.UUIDField(source="referral.uuid")
    reviewer = serializers.CharField(source="reviewer.display_name")
    panel = serializers.UUIDField(source="panel.uuid", allow_null=True, default=None)
    category = serializers.CharField()
    outcome = serializers.CharField(help_text="accept, return, redirect or request_advice")
    rationale = serializers.CharField(allow_null=True)
    referral_version = serializers.IntegerField()
    created_at = serializers.DateTimeField()


class ReferralDetailOutputSerializer(ReferralOutputSerializer):
    history = ReferralEventOutputSerializer(many=True, source="history_events")
    reviews = ReviewOutputSerializer(many=True, source="review_list")


class HarmReviewOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uuid")
    referral = serializers.UUIDField(source="referral.uuid")
    reviewer = serializers.CharField(source="reviewer.display_name")
    outcome = serializers.CharField()
    new_category = serializers.CharField()
    patient_agreed = serializers.BooleanField()
    notes = serializers.CharField()
    created_at = serializers.DateTimeField()


class PanelMemberOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="user.uuid")
    name = serializers.CharField(source="user.display_name")
    role = serializers.CharField(source="user.role")
    organisation = serializers.CharField(source="user.organisation.ods_code", default=None)
    returning_clinician = serializers.BooleanField(source="user.is_returning_clinician")


class PanelOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uuid")
    name = serializers.CharField()
    provider = serializers.CharField(source="provider.ods_code")
    treatment_function = serializers.CharField(source="treatment_function_id")
    members = PanelMemberOutputSerializer(many=True, source="memberships.all")
    created_at = serializers.DateTimeField()


class PanelAssignOutputSerializer(serializers.Serializer):
    assigned = serializers.IntegerField(help_text="How many referrals moved to the panel.")


class AdviceOutputSerializer(PatientIdentityMixin, serializers.Serializer):
    id = serializers.UUIDField(source="uuid")
    direction = serializers.CharField()
    status = serializers.CharField()
    referral = serializers.UUIDField(source="referral.uuid", allow_null=True, default=None)
    practice = serializers.CharField(source="practice.ods_code")
    provider = serializers.CharField(source="provider.ods_code")
    treatment_function = serializers.CharField(source="treatment_function_id")
    question = serializers.CharField()
    asked_by = serializers.CharField(source="asked_by.display_name")
    asked_at = serializers.DateTimeField()
    answer = serializers.CharField()
    answered_by = serializers.CharField(
        source="answered_by.display_name", allow_null=True, default=None
    )
    answered_at = serializers.DateTimeField(allow_null=True)
    converted_referral = serializers.UUIDField(
        source="converted_referral.uuid", allow_null=True, default=None
    )


class ConflictOutputSerializer(serializers.Serializer):
    detail = serializers.CharField()
    current = serializers.DictField(help_text="The winning review.")
