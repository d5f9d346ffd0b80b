"""Advice both ways between GPs and specialists (docs/product.md §2)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from directory.models import Organisation, Patient
from triage.models.referrals import Referral, TreatmentFunction


class AdviceDirection(models.TextChoices):
    TO_GP = "to_gp", "Consultant asks the referring GP"
    TO_SPECIALIST = "to_specialist", "GP asks a specialist (Advice & Guidance)"


class AdviceStatus(models.TextChoices):
    AWAITING_REPLY = "awaiting_reply", "Awaiting reply"
    ANSWERED = "answered", "Answered"
    CONVERTED = "converted", "Converted to a referral"
    CLOSED = "closed", "Closed"


class AdviceRequest(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    direction = models.CharField(max_length=16, choices=AdviceDirection.choices)
    status = models.CharField(
        max_length=16, choices=AdviceStatus.choices, default=AdviceStatus.AWAITING_REPLY
    )
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="advice_requests")
    referral = models.ForeignKey(
        Referral, on_delete=models.PROTECT, null=True, blank=True, related_name="advice_requests"
    )
    # Who is asked: the referring practice (to_gp) or the provider's service (to_specialist).
    practice = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="advice_requests_as_practice"
    )
    provider = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="advice_requests_as_provider"
    )
    treatment_function = models.ForeignKey(TreatmentFunction, on_delete=models.PROTECT)
    question = models.TextField()
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="advice_asked"
    )
    asked_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="advice_answered",
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    converted_referral = models.OneToOneField(
        Referral,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="converted_from_advice",
    )

    class Meta:
        ordering = ["-asked_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(direction="to_specialist") | Q(referral__isnull=False),
                name="advice_to_gp_has_referral",
            ),
        ]
        indexes = [
            models.Index(fields=["practice", "status"], name="advice_practice_idx"),
            models.Index(fields=["provider", "status"], name="advice_provider_idx"),
        ]

    def __str__(self) -> str:
        return f"Advice request {self.uuid}"
