"""Contract duties and the obligations events open (docs/product.md §5)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from directory.models import Organisation, Patient


class Duty(models.TextChoices):
    """The providers' duties at the interface under the NHS Standard Contract. The first five
    are obligations that events open and a record fulfils; the last four are what a GP reports
    as broken by being asked to act (docs/contracts.md cites each one's clause)."""

    DISCHARGE_SUMMARY = "discharge_summary", "Discharge summary to the GP"
    CLINIC_LETTER = "clinic_letter", "Clinic letter to the GP"
    RESULT_TO_PATIENT = "result_to_patient", "Test result communicated to the patient"
    DISCHARGE_MEDICATION = "discharge_medication", "Medication supplied on discharge"
    FIT_NOTE = "fit_note", "Fit note issued by the provider"
    REREFERRAL_AFTER_DNA = "rereferral_after_dna", "GP asked to re-refer after a DNA"
    ONWARD_REFERRAL = "onward_referral", "GP asked to make an onward referral"
    PRESCRIBING_TRANSFER = (
        "prescribing_transfer",
        "GP asked to prescribe what the provider should supply",
    )
    SHARED_CARE_WITHOUT_AGREEMENT = (
        "shared_care_without_agreement",
        "Shared care started without the GP's agreement",
    )


OBLIGATION_DUTIES = (
    Duty.DISCHARGE_SUMMARY,
    Duty.CLINIC_LETTER,
    Duty.RESULT_TO_PATIENT,
    Duty.DISCHARGE_MEDICATION,
    Duty.FIT_NOTE,
)
BREACH_DUTIES = (
    Duty.REREFERRAL_AFTER_DNA,
    Duty.ONWARD_REFERRAL,
    Duty.PRESCRIBING_TRANSFER,
    Duty.SHARED_CARE_WITHOUT_AGREEMENT,
)

# The choices of each set, for forms, serializers and the API schema's enums.
OBLIGATION_DUTY_CHOICES = [(d.value, d.label) for d in OBLIGATION_DUTIES]
BREACH_DUTY_CHOICES = [(d.value, d.label) for d in BREACH_DUTIES]


class ObligationStatus(models.TextChoices):
    """``open`` before its due time, ``overdue`` once past it unfulfilled, ``met`` when fulfilled
    by its due time and ``met_late`` after it (docs/product.md §5). The stored value is what the
    overdue sweep has done; pages and the API show ``contracts.rules.current_status``, which
    reads ``overdue`` from the moment the due time passes."""

    OPEN = "open", "Open"
    MET = "met", "Met"
    MET_LATE = "met_late", "Met late"
    OVERDUE = "overdue", "Overdue"


FULFILLED_STATUSES = (ObligationStatus.MET, ObligationStatus.MET_LATE)


def status_q(status: str, *, now) -> Q:
    """Obligations whose status as of ``now`` is ``status`` (``contracts.rules.current_status``
    in SQL): overdue from the moment the due time passes, whether or not the sweep has run."""
    if status == ObligationStatus.OPEN:
        return Q(fulfilled_at__isnull=True, due_at__gte=now)
    if status == ObligationStatus.OVERDUE:
        return Q(fulfilled_at__isnull=True, due_at__lt=now)
    return Q(status=status)


class Obligation(models.Model):
    """A provider's duty to one patient with a due time, opened by an event (a discharge, an
    outpatient attendance, a diagnostic result), never typed in by hand; recording the
    document or action fulfils it."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    duty = models.CharField(max_length=32, choices=Duty.choices)
    provider = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="contract_obligations",
        db_index=False,
        help_text="The trust or community provider whose duty it is.",
    )
    patient = models.ForeignKey(
        Patient, on_delete=models.PROTECT, related_name="contract_obligations", db_index=False
    )
    # The event that opened it: exactly one of the three.
    discharge = models.ForeignKey(
        "contracts.Discharge",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="obligations",
        db_index=False,
    )
    attendance = models.ForeignKey(
        "contracts.Attendance",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="obligations",
        db_index=False,
    )
    result_uuid = models.UUIDField(
        null=True, blank=True, help_text="The diagnostic result that opened it (diagnostics)."
    )
    source_link = models.CharField(
        max_length=500, blank=True, help_text="Where the opening record is shown, if elsewhere."
    )
    event_at = models.DateTimeField(help_text="When the event happened: the due time runs from it.")
    due_at = models.DateTimeField()
    status = models.CharField(
        max_length=16, choices=ObligationStatus.choices, default=ObligationStatus.OPEN
    )
    fulfilled_at = models.DateTimeField(null=True, blank=True)
    fulfilled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contract_obligations_fulfilled",
    )
    note = models.TextField(blank=True, help_text="What was sent or done, as recorded.")
    overdue_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the overdue sweep marked it and raised its alerts (once, ever).",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-due_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duty__in=OBLIGATION_DUTIES), name="obligation_duty_is_an_obligation"
            ),
            models.CheckConstraint(
                condition=(Q(status__in=FULFILLED_STATUSES) & Q(fulfilled_at__isnull=False))
                | (~Q(status__in=FULFILLED_STATUSES) & Q(fulfilled_at__isnull=True)),
                name="obligation_fulfilled_iff_met",
            ),
            models.CheckConstraint(
                condition=~Q(status=ObligationStatus.OVERDUE) | Q(overdue_at__isnull=False),
                name="obligation_overdue_marked",
            ),
            models.CheckConstraint(
                condition=(
                    Q(discharge__isnull=False, attendance__isnull=True, result_uuid__isnull=True)
                    | Q(discharge__isnull=True, attendance__isnull=False, result_uuid__isnull=True)
                    | Q(discharge__isnull=True, attendance__isnull=True, result_uuid__isnull=False)
                ),
                name="obligation_one_source",
            ),
            models.CheckConstraint(
                condition=Q(due_at__gte=models.F("event_at")), name="obligation_due_after_event"
            ),
            # One obligation of a duty per event: a retried event or a second delivery of the
            # diagnostics event opens nothing more. (These also index the event's obligations.)
            models.UniqueConstraint(
                fields=["discharge", "duty"],
                condition=Q(discharge__isnull=False),
                name="obligation_unique_per_discharge",
            ),
            models.UniqueConstraint(
                fields=["attendance", "duty"],
                condition=Q(attendance__isnull=False),
                name="obligation_unique_per_attendance",
            ),
            models.UniqueConstraint(
                fields=["result_uuid", "duty"],
                condition=Q(result_uuid__isnull=False),
                name="obligation_unique_per_result",
            ),
        ]
        indexes = [
            # The overdue sweep: open rows in due order, and nothing else.
            models.Index(
                fields=["due_at", "id"],
                condition=Q(status=ObligationStatus.OPEN),
                name="obligation_open_due_idx",
            ),
            # A provider's list (newest due first) and its overdue count (unfulfilled, past due).
            models.Index(fields=["provider", "due_at", "id"], name="obligation_provider_due_idx"),
            models.Index(
                fields=["provider", "due_at"],
                condition=Q(fulfilled_at__isnull=True),
                name="obligation_provider_unmet_idx",
            ),
            # Compliance: counts by provider and duty.
            models.Index(fields=["provider", "duty", "status"], name="obligation_compliance_idx"),
            # The patient's obligations (the patient page, the practice's GPs, access).
            models.Index(fields=["patient", "due_at"], name="obligation_patient_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_duty_display()} due {self.due_at:%Y-%m-%d %H:%M}"
