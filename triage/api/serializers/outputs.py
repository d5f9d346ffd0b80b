"""Output serializers: they only present. ``pseudonym_scope`` in the context
(``triage.selectors.pseudonym_scope_for``; absent or None: identifiable) hides patient identifiers
and free text (docs/product.md §1: managers see no names, NHS numbers, dates of birth, UBRNs or
free-text identifiers)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from directory.presenters import patient_identity
from triage.models import Priority, Status
from triage.presenters import QUEUE_ROW_COLUMNS, Column

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


def pseudonym_scope_of(serializer: serializers.Serializer) -> str | None:
    return serializer.context.get("pseudonym_scope")


class PseudonymisingSerializer(serializers.Serializer):
    """Blanks ``identifiable_fields`` in pseudonymised output: null where the schema allows it,
    otherwise an empty string, so the schema is the same for every caller."""

    identifiable_fields: tuple[str, ...] = ()

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if pseudonym_scope_of(self) is not None:
            for name in self.identifiable_fields:
                data[name] = None if self.fields[name].allow_null else ""
        return data


class PatientIdentityMixin(serializers.Serializer):
    # ``nhs_number`` and ``patient_name`` as ``directory.presenters.patient_identity`` gives
    # them to the caller: the one place a patient is named. (A comment, not a docstring: the
    # schema would take it as the description of every serializer that mixes it in.)

    nhs_number = serializers.CharField(
        source="patient.nhs_number", allow_null=True, help_text="Null for managers."
    )
    patient_name = serializers.SerializerMethodField()

    def _identity(self, obj) -> dict:
        patient = obj.patient
        return patient_identity(
            patient_uuid=patient.uuid,
            nhs_number=patient.nhs_number,
            family_name=patient.family_name,
            given_name=patient.given_name,
            pseudonym_scope=pseudonym_scope_of(self),
        )

    @extend_schema_field(serializers.CharField(help_text="A stable pseudonym for managers."))
    def get_patient_name(self, obj) -> str:
        return self._identity(obj)["patient_name"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["nhs_number"] = self._identity(instance)["nhs_number"]
        return data


class ReferralOutputSerializer(PatientIdentityMixin, PseudonymisingSerializer):
    # The UBRN and the free-text external id lead straight back to the patient in e-RS or
    # another system, and the reason is clinical free text: none in a pseudonymised row.
    identifiable_fields = ("ubrn", "external_id", "date_of_birth", "reason")

    id = serializers.UUIDField(source="uuid")
    ubrn = serializers.CharField(allow_null=True, help_text="Null for managers.")
    external_id = serializers.CharField(help_text="Empty for managers.")
    date_of_birth = serializers.DateField(
        source="patient.date_of_birth", allow_null=True, help_text="Null for managers."
    )
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
    reason = serializers.CharField(allow_null=True, help_text="Null for managers.")
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
