"""The events recorded by a provider's staff or systems that open obligations (docs/product.md §5)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from directory.models import Organisation, Patient


class DischargeKind(models.TextChoices):
    INPATIENT = "inpatient", "Inpatient"
    DAY_CASE = "day_case", "Day case"
    AE = "ae", "A&E (emergency department)"


class FitNote(models.TextChoices):
    """Whether a fit note was due at the discharge or attendance, and whether it was issued:
    one field, so a fit note cannot be "issued" but "not needed" at once."""

    NOT_NEEDED = "not_needed", "Not needed"
    ISSUED = "issued", "Due and issued"
    DUE = "due", "Due but not yet issued"


class Discharge(models.Model):
    """A discharge from inpatient, day case or A&E care, as the provider recorded it."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(
        Patient, on_delete=models.PROTECT, related_name="contract_discharges", db_index=False
    )
    provider = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="contract_discharges", db_index=False
    )
    kind = models.CharField(max_length=16, choices=DischargeKind.choices)
    discharged_at = models.DateTimeField()
    medication_days = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Days of medication supplied on discharge; empty when none was prescribed.",
    )
    fit_note = models.CharField(max_length=16, choices=FitNote.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-discharged_at", "-id"]
        constraints = [
            # The same discharge sent twice (a retry from the provider's system) is one record.
            models.UniqueConstraint(
                fields=["provider", "patient", "discharged_at"], name="discharge_unique_event"
            ),
            models.CheckConstraint(
                condition=Q(medication_days__isnull=True) | Q(medication_days__lte=366),
                name="discharge_medication_days_range",
            ),
        ]
        indexes = [
            models.Index(fields=["patient", "provider"], name="discharge_patient_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} discharge {self.discharged_at:%Y-%m-%d %H:%M}"


class Attendance(models.Model):
    """An outpatient attendance, as the provider recorded it."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(
        Patient, on_delete=models.PROTECT, related_name="contract_attendances", db_index=False
    )
    provider = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="contract_attendances", db_index=False
    )
    attended_at = models.DateTimeField()
    gp_action_needed = models.BooleanField(
        help_text="The GP must act on something from this attendance: a clinic letter is due."
    )
    fit_note = models.CharField(max_length=16, choices=FitNote.choices, default=FitNote.NOT_NEEDED)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-attended_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "patient", "attended_at"], name="attendance_unique_event"
            ),
        ]
        indexes = [
            models.Index(fields=["patient", "provider"], name="attendance_patient_idx"),
        ]

    def __str__(self) -> str:
        return f"Attendance {self.attended_at:%Y-%m-%d %H:%M}"
