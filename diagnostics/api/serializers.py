"""Diagnostics API serializers: inputs only parse and look up (the services hold the rules);
outputs only present. Patients are named by NHS number, organisations by ODS code, users by
username, test types by SNOMED CT code, records by UUID (docs/product.md §7)."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from diagnostics.models import BookingStatus
from diagnostics.selectors import booking_wait_days, slot_get, test_type_get
from directory import selectors as directory
from directory.models import OrganisationKind, User
from directory.validators import normalise_nhs_number, validate_nhs_number
from triage.selectors import referrals_visible_to

# Inputs ----------------------------------------------------------------------------------------


class LookupField(serializers.CharField):
    """Text that names a record: checked for length first, then looked up (``lookup``)."""

    max_chars = 20

    def to_internal_value(self, data):
        text = super().to_internal_value(data)
        if len(text) > self.max_chars:
            raise serializers.ValidationError(f"Enter at most {self.max_chars} characters.")
        return self.lookup(text)

    def lookup(self, text: str):
        raise NotImplementedError


class TestTypeField(LookupField):
    """A test type by its SNOMED CT code."""

    __test__ = False

    def lookup(self, text: str):
        test_type = test_type_get(text)
        if test_type is None:
            raise serializers.ValidationError(f"No test type with SNOMED CT code {text}.")
        return test_type


class HubField(LookupField):
    """A diagnostic hub by its ODS code."""

    def lookup(self, text: str):
        hub = directory.organisation_get(ods_code=text)
        if hub is None or hub.kind != OrganisationKind.DIAGNOSTIC_HUB:
            raise serializers.ValidationError(f"No diagnostic hub with ODS code {text.upper()}.")
        return hub


class SlotField(serializers.UUIDField):
    """A slot by its id."""

    def to_internal_value(self, data):
        slot = slot_get(super().to_internal_value(data))
        if slot is None:
            raise serializers.ValidationError("No slot has this id.")
        return slot


class VisiblePatientField(LookupField):
    """A patient the caller may see, by NHS number (spaces or dashes allowed). A patient who
    exists but whom the caller may not see is answered exactly as one who does not exist."""

    def lookup(self, text: str):
        digits = normalise_nhs_number(text)
        try:
            validate_nhs_number(digits)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc
        user = self.context["request"].user
        patient = directory.patients_visible_to(user).filter(nhs_number=digits).first()
        if patient is None:
            raise serializers.ValidationError("No patient you may see has this NHS number.")
        return patient


class VisibleReferralField(serializers.UUIDField):
    """A referral the caller may see, by its id."""

    def to_internal_value(self, data):
        key = super().to_internal_value(data)
        user = self.context["request"].user
        referral = referrals_visible_to(user).filter(uuid=key).first()
        if referral is None:
            raise serializers.ValidationError("No referral you may see has this id.")
        return referral


class ClinicianField(LookupField):
    """An active user by username (the service decides whether they may take the result)."""

    max_chars = 150

    def lookup(self, text: str):
        username = text
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise serializers.ValidationError(f"No active user with username {username}.")
        return user


class SlotCreateInputSerializer(serializers.Serializer):
    hub = HubField(help_text="The hub's ODS code (your own hub).")
    test_type = TestTypeField(help_text="SNOMED CT code, e.g. 26604007.")
    starts_at = serializers.DateTimeField(help_text="ISO 8601 with offset; in the future.")
    capacity = serializers.IntegerField(min_value=1, max_value=1000)


class BookingCreateInputSerializer(serializers.Serializer):
    nhs_number = VisiblePatientField(help_text="The NHS number of a patient you may see.")
    test_type = TestTypeField(help_text="SNOMED CT code, e.g. 26604007.")
    slot = SlotField(help_text="A free slot for this test (from GET slots/).")
    referral = VisibleReferralField(
        required=False, allow_null=True, default=None, help_text="The referral it is for."
    )
    reason = serializers.CharField(max_length=2000, help_text="Why the test is needed.")


class BookingMoveInputSerializer(serializers.Serializer):
    slot = SlotField(help_text="The new slot, for the same test.")


class AttendanceInputSerializer(serializers.Serializer):
    attended = serializers.BooleanField(help_text="false records that the patient did not attend.")


class ResultInputSerializer(serializers.Serializer):
    abnormal = serializers.BooleanField()
    summary = serializers.CharField(max_length=10000, help_text="The result or report.")
    value = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)
    unit = serializers.CharField(required=False, allow_blank=True, default="", max_length=30)
    reported_at = serializers.DateTimeField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Never in the future; now if absent.",
    )


class AcknowledgeInputSerializer(serializers.Serializer):
    action = serializers.CharField(max_length=2000, help_text="The action taken.")


class TransferInputSerializer(serializers.Serializer):
    to = ClinicianField(help_text="Username of the clinician offered the result.")


# Outputs ---------------------------------------------------------------------------------------


class TestTypeOutputSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="SNOMED CT code.")
    name = serializers.CharField()
    sample_minutes = serializers.IntegerField(allow_null=True)


class SlotOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uuid")
    hub = serializers.CharField(source="hub.ods_code")
    hub_name = serializers.CharField(source="hub.name")
    test_type = serializers.CharField(source="test_type.code")
    test_type_name = serializers.CharField(source="test_type.name")
    starts_at = serializers.DateTimeField()
    capacity = serializers.IntegerField()
    booked = serializers.IntegerField()


def _username(user) -> str | None:
    return user.username if user is not None else None


class BookingOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uuid")
    status = serializers.ChoiceField(choices=BookingStatus.choices)
    slot = serializers.UUIDField(source="slot.uuid")
    starts_at = serializers.DateTimeField(source="slot.starts_at")
    hub = serializers.CharField(source="slot.hub.ods_code")
    test_type = serializers.CharField(source="test_type.code")
    test_type_name = serializers.CharField(source="test_type.name")
    nhs_number = serializers.CharField(source="patient.nhs_number")
    patient_name = serializers.CharField(source="patient.full_name")
    requested_at = serializers.DateTimeField()
    requester = serializers.CharField(source="requester.username")
    requester_organisation = serializers.CharField(source="requester_organisation.ods_code")
    referral = serializers.SerializerMethodField()
    reason = serializers.CharField()
    attended_at = serializers.DateTimeField(allow_null=True)
    wait_days = serializers.SerializerMethodField()

    @extend_schema_field(serializers.UUIDField(allow_null=True))
    def get_referral(self, booking):
        return str(booking.referral.uuid) if booking.referral_id else None

    @extend_schema_field(
        serializers.IntegerField(help_text="DM01 wait: request to test (or today).")
    )
    def get_wait_days(self, booking):
        return booking_wait_days(booking, timezone.localdate())


class ResultOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uuid")
    booking = serializers.UUIDField(source="booking.uuid")
    test_type = serializers.CharField(source="booking.test_type.code")
    test_type_name = serializers.CharField(source="booking.test_type.name")
    hub = serializers.CharField(source="booking.slot.hub.ods_code")
    nhs_number = serializers.CharField(source="booking.patient.nhs_number")
    patient_name = serializers.CharField(source="booking.patient.full_name")
    abnormal = serializers.BooleanField()
    summary = serializers.CharField()
    value = serializers.CharField()
    unit = serializers.CharField()
    reported_at = serializers.DateTimeField()
    responsible = serializers.CharField(source="responsible.username")
    transfer_to = serializers.SerializerMethodField()
    transfer_offered_at = serializers.DateTimeField(allow_null=True)
    acknowledged_at = serializers.DateTimeField(allow_null=True)
    acknowledged_by = serializers.SerializerMethodField()
    action = serializers.CharField()

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_transfer_to(self, result):
        return _username(result.transfer_to)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_acknowledged_by(self, result):
        return _username(result.acknowledged_by)


class DiagnosticsConflictOutputSerializer(serializers.Serializer):
    detail = serializers.CharField()
    current = serializers.DictField()
