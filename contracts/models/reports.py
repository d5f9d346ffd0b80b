"""GP breach reports: a duty broken by asking the GP to act (docs/product.md §5)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from contracts.models.obligations import BREACH_DUTIES, Duty
from directory.models import Organisation, Patient


class BreachReport(models.Model):
    """A GP's report that a provider broke a duty by asking the practice to act, with the
    drafted letter to the trust and the ICB, which the GP may edit. Each counts toward the
    provider's compliance."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    duty = models.CharField(max_length=32, choices=Duty.choices)
    provider = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="breach_reports_received",
        db_index=False,
    )
    patient = models.ForeignKey(
        Patient, on_delete=models.PROTECT, related_name="breach_reports", db_index=False
    )
    practice = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="breach_reports_made",
        db_index=False,
        help_text="The reporting GP's practice (the patient's registered practice).",
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="breach_reports"
    )
    occurred_on = models.DateField(help_text="When the provider asked the practice to act.")
    description = models.TextField()
    letter = models.TextField(help_text="The letter to the trust and the ICB, as last edited.")
    letter_edited_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duty__in=BREACH_DUTIES), name="breach_report_duty_is_a_breach"
            ),
            # One report of one breach: a second submission finds the first.
            models.UniqueConstraint(
                fields=["practice", "provider", "patient", "duty", "occurred_on"],
                name="breach_report_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["practice", "created_at"], name="breach_report_practice_idx"),
            models.Index(fields=["provider", "duty"], name="breach_report_provider_idx"),
            models.Index(fields=["patient"], name="breach_report_patient_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_duty_display()} on {self.occurred_on:%Y-%m-%d}"
