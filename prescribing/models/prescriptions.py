"""Electronic prescriptions and their items (docs/product.md §4). Money is pounds in
``DecimalField``s, summed in SQL: never a float."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from directory.models import Organisation, OrganisationKind, Patient
from prescribing.models.budgets import Budget
from prescribing.models.shared_care import SharedCareAgreement
from prescribing.validators import DMD_CODE_VALIDATOR


class PrescriptionStatus(models.TextChoices):
    ISSUED = "issued", "Issued"
    DISPENSED = "dispensed", "Dispensed"
    CANCELLED = "cancelled", "Cancelled"


class Prescription(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="prescriptions")
    prescriber = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="prescriptions"
    )
    prescriber_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="prescriptions_issued",
        help_text="The prescriber's organisation when it was issued (spend by organisation).",
    )
    pharmacy = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="prescriptions_nominated",
        limit_choices_to={"kind": OrganisationKind.PHARMACY},
        help_text="The patient's nominated pharmacy.",
    )
    budget = models.ForeignKey(Budget, on_delete=models.PROTECT, related_name="prescriptions")
    shared_care = models.ForeignKey(
        SharedCareAgreement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="prescriptions",
    )
    discharge = models.BooleanField(default=False, help_text="A discharge prescription (TTO).")
    short_supply_reason = models.TextField(
        blank=True,
        help_text="The clinical reason a discharge prescription covers fewer than 7 days.",
    )
    status = models.CharField(
        max_length=10, choices=PrescriptionStatus.choices, default=PrescriptionStatus.ISSUED
    )
    total_cost = models.DecimalField(
        max_digits=14, decimal_places=2, default=0, help_text="The items' costs, in pounds."
    )
    issued_at = models.DateTimeField(default=timezone.now)
    dispensed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(total_cost__gte=0), name="prescription_total_not_negative"
            ),
            models.CheckConstraint(
                condition=(
                    Q(status=PrescriptionStatus.ISSUED)
                    & Q(dispensed_at__isnull=True)
                    & Q(cancelled_at__isnull=True)
                )
                | (
                    Q(status=PrescriptionStatus.DISPENSED)
                    & Q(dispensed_at__isnull=False)
                    & Q(cancelled_at__isnull=True)
                )
                | (
                    Q(status=PrescriptionStatus.CANCELLED)
                    & Q(dispensed_at__isnull=True)
                    & Q(cancelled_at__isnull=False)
                ),
                name="prescription_status_times",
            ),
        ]
        indexes = [
            # Budget positions: spent and committed per budget, by status, summed from the
            # index alone on PostgreSQL (the total is carried in it).
            models.Index(
                fields=["budget", "status"],
                include=["total_cost"],
                name="prescription_budget_idx",
            ),
            models.Index(fields=["prescriber", "issued_at"], name="prescription_prescriber_idx"),
            models.Index(fields=["patient", "issued_at"], name="prescription_patient_idx"),
        ]

    def __str__(self) -> str:
        return f"Prescription {self.uuid}"


class PrescriptionItem(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    prescription = models.ForeignKey(Prescription, on_delete=models.CASCADE, related_name="items")
    line = models.PositiveSmallIntegerField(help_text="1 for the first item, and so on.")
    medicine = models.CharField(max_length=200)
    dmd_code = models.CharField(
        "dm+d code",
        max_length=18,
        blank=True,
        validators=[DMD_CODE_VALIDATOR],
        help_text="The dm+d code where known (VMP or AMP), 6 to 18 digits.",
    )
    quantity = models.PositiveIntegerField()
    days_supply = models.PositiveSmallIntegerField(help_text="Days of supply.")
    cost = models.DecimalField(max_digits=12, decimal_places=2, help_text="In pounds.")

    class Meta:
        ordering = ["prescription", "line"]
        constraints = [
            models.UniqueConstraint(fields=["prescription", "line"], name="prescription_item_line"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="item_quantity_positive"),
            models.CheckConstraint(condition=Q(days_supply__gt=0), name="item_days_positive"),
            models.CheckConstraint(condition=Q(cost__gte=0), name="item_cost_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.medicine} × {self.quantity}"
