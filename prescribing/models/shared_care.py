"""Shared care agreements (docs/product.md §4): a protocol (a medicine and its monitoring),
the patient, the initiating consultant and the GP."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from directory.models import Patient
from prescribing.validators import DMD_CODE_VALIDATOR, SNOMED_CODE_VALIDATOR


class AgreementStatus(models.TextChoices):
    """``proposed`` → ``accepted`` or ``declined`` (by the GP) → ``active`` (at the first
    prescription under it) → ``ended``. docs/prescribing.md explains each step."""

    PROPOSED = "proposed", "Proposed, awaiting the GP"
    ACCEPTED = "accepted", "Accepted by the GP"
    DECLINED = "declined", "Declined by the GP"
    ACTIVE = "active", "Active"
    ENDED = "ended", "Ended"


class SharedCareAgreement(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(
        Patient, on_delete=models.PROTECT, related_name="shared_care_agreements"
    )
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="shared_care_initiated",
        help_text="The initiating consultant.",
    )
    gp = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="GP",
        on_delete=models.PROTECT,
        related_name="shared_care_as_gp",
        help_text="The GP asked to share care, at the patient's registered practice.",
    )
    medicine = models.CharField(max_length=200)
    dmd_code = models.CharField(
        "dm+d code", max_length=18, blank=True, validators=[DMD_CODE_VALIDATOR]
    )
    status = models.CharField(
        max_length=10, choices=AgreementStatus.choices, default=AgreementStatus.PROPOSED
    )
    proposed_at = models.DateTimeField(default=timezone.now)
    responded_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(blank=True)
    activated_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    end_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-proposed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=AgreementStatus.DECLINED) | ~Q(decline_reason=""),
                name="agreement_declined_with_reason",
            ),
            models.CheckConstraint(
                condition=Q(status=AgreementStatus.PROPOSED) | Q(responded_at__isnull=False),
                name="agreement_answered_when_not_proposed",
            ),
            models.CheckConstraint(
                condition=~Q(status=AgreementStatus.ACTIVE) | Q(activated_at__isnull=False),
                name="agreement_active_since",
            ),
            models.CheckConstraint(
                condition=~Q(status=AgreementStatus.ENDED) | Q(ended_at__isnull=False),
                name="agreement_ended_at",
            ),
        ]
        indexes = [
            models.Index(fields=["gp", "status"], name="agreement_gp_idx"),
            models.Index(fields=["consultant", "status"], name="agreement_consultant_idx"),
            models.Index(fields=["patient"], name="agreement_patient_idx"),
        ]

    def __str__(self) -> str:
        return f"Shared care: {self.medicine}"


class MonitoringTest(models.Model):
    """One test of the protocol's monitoring and its interval. Due = the patient's last booking
    of the test at a diagnostic hub (or, before any, the GP's acceptance) + the interval."""

    agreement = models.ForeignKey(
        SharedCareAgreement, on_delete=models.CASCADE, related_name="monitoring"
    )
    test_type = models.CharField(
        max_length=18, validators=[SNOMED_CODE_VALIDATOR], help_text="SNOMED CT code."
    )
    name = models.CharField(max_length=120, help_text="The test's name when it was agreed.")
    interval_days = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["agreement", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "test_type"], name="monitoring_test_once_per_agreement"
            ),
            models.CheckConstraint(
                condition=Q(interval_days__gte=1) & Q(interval_days__lte=3660),
                name="monitoring_interval_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} every {self.interval_days} days"
