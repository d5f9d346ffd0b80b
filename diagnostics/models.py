"""Diagnostics: test types, hub capacity slots, bookings and results (docs/product.md §3)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from diagnostics.validators import SNOMED_CODE_VALIDATOR
from directory.models import Organisation, Patient


class TestType(models.Model):
    """A test a community diagnostic hub offers, coded in SNOMED CT (reference data)."""

    __test__ = False  # not a pytest test class, whatever its name

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.CharField(
        "SNOMED CT code",
        max_length=18,
        unique=True,
        validators=[SNOMED_CODE_VALIDATOR],
        help_text="SNOMED CT concept id of the procedure, e.g. 26604007 (full blood count).",
    )
    name = models.CharField(max_length=120)
    sample_minutes = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The usual length of one appointment, in minutes."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Slot(models.Model):
    """Capacity at a hub: ``capacity`` appointments for one test type starting at ``starts_at``.

    ``booked`` is kept by the booking services with a conditional UPDATE, and the database
    refuses a count outside 0..capacity, so a slot is never overfilled (docs/product.md §3).
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    hub = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="diagnostic_slots",
        limit_choices_to={"kind": "diagnostic_hub"},
        db_index=False,
    )
    test_type = models.ForeignKey(
        TestType, on_delete=models.PROTECT, related_name="slots", db_index=False
    )
    starts_at = models.DateTimeField()
    capacity = models.PositiveIntegerField(default=1)
    booked = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["hub", "test_type", "starts_at"], name="diagnostics_slot_unique"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="diagnostics_slot_capacity"),
            models.CheckConstraint(
                condition=Q(booked__gte=0) & Q(booked__lte=F("capacity")),
                name="diagnostics_slot_not_overfilled",
            ),
        ]
        indexes = [
            # The free-slot search: by test type and time (the unique constraint serves hub).
            models.Index(fields=["test_type", "starts_at"], name="diagnostics_slot_search"),
            models.Index(fields=["starts_at"], name="diagnostics_slot_starts"),
        ]

    def __str__(self) -> str:
        return f"{self.test_type_id} at {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def free(self) -> int:
        return self.capacity - self.booked


class BookingStatus(models.TextChoices):
    BOOKED = "booked", "Booked"
    ATTENDED = "attended", "Attended"
    DID_NOT_ATTEND = "did_not_attend", "Did not attend"
    CANCELLED = "cancelled", "Cancelled"


class Booking(models.Model):
    """A clinician's request for a test and its booking into a slot."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(
        Patient, on_delete=models.PROTECT, related_name="diagnostic_bookings"
    )
    test_type = models.ForeignKey(
        TestType, on_delete=models.PROTECT, related_name="bookings", db_index=False
    )
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="bookings")
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="diagnostic_requests",
        db_index=False,
    )
    requester_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    referral = models.ForeignKey(
        "triage.Referral",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="diagnostic_bookings",
    )
    reason = models.TextField()
    # DM01 counts the wait from the request to the test (docs/product.md §3).
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        max_length=16, choices=BookingStatus.choices, default=BookingStatus.BOOKED
    )
    attended_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="attended", attended_at__isnull=False)
                | (~Q(status="attended") & Q(attended_at__isnull=True)),
                name="diagnostics_booking_attended_at",
            ),
        ]
        indexes = [
            models.Index(fields=["requester", "status"], name="diagnostics_booking_requester"),
            models.Index(fields=["status", "requested_at"], name="diagnostics_booking_waiting"),
        ]

    def __str__(self) -> str:
        return f"Booking {self.uuid}"


class Result(models.Model):
    """A test's result. The requester is responsible for acting on it until a transfer they
    offered is accepted (``responsible`` changes then); the responsible clinician acknowledges
    it with the action taken (docs/product.md §3)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    booking = models.OneToOneField(Booking, on_delete=models.PROTECT, related_name="result")
    abnormal = models.BooleanField()
    summary = models.TextField(help_text="The report, or a summary of it.")
    value = models.CharField(max_length=100, blank=True)
    unit = models.CharField(max_length=30, blank=True)
    reported_at = models.DateTimeField(help_text="When the hub reported it; never in the future.")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="diagnostic_results",
        db_index=False,
    )
    transfer_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="diagnostic_transfers_offered",
        db_index=False,
        help_text="A clinician offered responsibility, who has not yet accepted.",
    )
    transfer_offered_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    action = models.TextField(blank=True, help_text="The action taken, recorded on acknowledging.")
    alerted_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the sweep raised the overdue-acknowledgement alert (once per result).",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-reported_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(acknowledged_at__isnull=True, acknowledged_by__isnull=True)
                | Q(acknowledged_at__isnull=False, acknowledged_by__isnull=False),
                name="diagnostics_result_acknowledged_by",
            ),
            models.CheckConstraint(
                condition=Q(transfer_to__isnull=True) | Q(transfer_offered_at__isnull=False),
                name="diagnostics_result_transfer_offered_at",
            ),
        ]
        indexes = [
            # The result-alert sweep: results neither acknowledged nor alerted, by report time.
            models.Index(
                fields=["reported_at"],
                name="diagnostics_result_alert_due",
                condition=Q(acknowledged_at__isnull=True, alerted_at__isnull=True),
            ),
            # A clinician's results, newest first (the list filtered by ``responsible``).
            models.Index(
                fields=["responsible", "reported_at", "id"], name="diagnostics_result_owner"
            ),
            models.Index(
                fields=["transfer_to"],
                name="diagnostics_result_offered",
                condition=Q(transfer_to__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"Result {self.uuid}"
