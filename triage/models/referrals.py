"""Referrals, their history and the panels that review them (docs/product.md §2)."""

import uuid

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q

from directory.models import Organisation, Patient

UBRN_VALIDATOR = RegexValidator(r"^[0-9]{12}$", "A UBRN is 12 digits.", code="ubrn")
TREATMENT_FUNCTION_VALIDATOR = RegexValidator(
    r"^[0-9]{3}$", "A treatment function code is 3 digits.", code="treatment_function"
)


class TreatmentFunction(models.Model):
    """NHS Data Dictionary treatment function codes (e.g. 110 Trauma & Orthopaedics)."""

    code = models.CharField(
        max_length=3,
        primary_key=True,
        validators=[TREATMENT_FUNCTION_VALIDATOR],
        help_text="NHS Data Dictionary treatment function code, 3 digits.",
    )
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Priority(models.TextChoices):
    """The referrer's priority on e-RS."""

    ROUTINE = "routine", "Routine"
    URGENT = "urgent", "Urgent"
    TWO_WEEK_WAIT = "two_week_wait", "Two-week wait (suspected cancer)"


class Category(models.TextChoices):
    """Federation of Surgical Specialty Associations clinical prioritisation categories.

    ``2WW`` is only ever provisional (from the referrer's priority); P5 and P6 mark a patient
    who chose to wait (Covid concern, other reason).
    """

    P1A = "P1a", "P1a – emergency, within 24 hours"
    P1B = "P1b", "P1b – urgent, within 72 hours"
    TWO_WEEK_WAIT = "2WW", "2WW – suspected cancer, within 14 days"
    P2 = "P2", "P2 – within 4 weeks"
    P3 = "P3", "P3 – within 3 months"
    P4 = "P4", "P4 – within 18 weeks"
    P5 = "P5", "P5 – patient chose to wait (Covid concern)"
    P6 = "P6", "P6 – patient chose to wait (other reason)"


QUEUE_CATEGORIES_FOR_HARM = ("P1a", "P1b", "P2", "P3", "P4")
REVIEWED_CATEGORIES = ("P1a", "P1b", "P2", "P3", "P4", "P5", "P6")
DEFERRED_CATEGORIES = ("P5", "P6")
# Queue tie-break: the most urgent first (docs/product.md §2).
URGENCY_ORDER = ("P1a", "P1b", "2WW", "P2", "P3", "P4")


class Status(models.TextChoices):
    AWAITING_REVIEW = "awaiting_review", "Awaiting review"
    UNDER_REVIEW = "under_review", "Under review"
    ADVICE_REQUESTED = "advice_requested", "Advice requested from GP"
    ACCEPTED = "accepted", "Accepted, awaiting booking"
    BOOKED = "booked", "Booked"
    TREATED = "treated", "Treated (clock stopped)"
    DISCHARGED = "discharged", "Discharged (clock stopped)"
    RETURNED_TO_REFERRER = "returned_to_referrer", "Returned to referrer with advice"
    REDIRECTED = "redirected", "Redirected (onward referral)"
    CANCELLED = "cancelled", "Cancelled"


OPEN_STATUSES = (
    Status.AWAITING_REVIEW,
    Status.UNDER_REVIEW,
    Status.ADVICE_REQUESTED,
    Status.ACCEPTED,
    Status.BOOKED,
)
OPEN_Q = Q(status__in=OPEN_STATUSES)
# The queue: open referrals that have not been deferred at the patient's choice.
QUEUE_Q = OPEN_Q & Q(deferred=False)
# Queue order (docs/product.md §2); every queue index ends with these columns.
QUEUE_KEY_FIELDS = ("target_date", "urgency_rank", "clock_start", "id")
# A referral whose patient is registered at another practice than the one that referred them
# (the patient moved): the GP relationship's second, small arm (triage.selectors.access).
REGISTERED_ELSEWHERE_Q = Q(registered_practice__isnull=False) & ~Q(
    registered_practice=F("referring_practice")
)


class ReviewPanel(models.Model):
    """A named group of clinicians from primary, community and secondary care reviewing the
    referrals of one service (provider organisation + treatment function)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=120)
    provider = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="review_panels"
    )
    treatment_function = models.ForeignKey(
        TreatmentFunction, on_delete=models.PROTECT, related_name="review_panels"
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="PanelMembership", related_name="review_panels"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "treatment_function", "name"],
                name="panel_unique_name_per_service",
            )
        ]

    def __str__(self) -> str:
        return self.name


class MembershipStatus(models.TextChoices):
    """A seat on a panel grants sight of patients only once accepted: clinicians from outside
    the provider's ICB are invited and must accept first (docs/triage.md, Panels)."""

    PENDING = "pending", "Invited, not yet accepted"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"


class PanelMembership(models.Model):
    panel = models.ForeignKey(ReviewPanel, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="panel_memberships"
    )
    # Pending by default, so a row written by any path grants nothing until it is accepted;
    # panel_create accepts the provider's own ICB's clinicians at creation.
    status = models.CharField(
        max_length=10, choices=MembershipStatus.choices, default=MembershipStatus.PENDING
    )
    joined_at = models.DateTimeField(auto_now_add=True, help_text="When the seat was offered.")
    responded_at = models.DateTimeField(
        null=True, blank=True, help_text="When the invited clinician accepted or declined."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["panel", "user"], name="panel_membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} on {self.panel}"


class Referral(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    ubrn = models.CharField(
        "UBRN",
        max_length=12,
        unique=True,
        null=True,
        blank=True,
        validators=[UBRN_VALIDATOR],
        help_text="e-RS Unique Booking Reference Number, 12 digits.",
    )
    external_id = models.CharField(
        max_length=64, blank=True, help_text="Another system's id where there is no UBRN."
    )
    # Foreign keys whose lookups the composite indexes in Meta already serve carry no index of
    # their own: every index is paid for on each PTL row imported and each queue change.
    patient = models.ForeignKey(
        Patient, on_delete=models.PROTECT, related_name="referrals", db_index=False
    )
    referring_practice = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="referrals_made", db_index=False
    )
    # The patient's registered practice, copied onto the referral so that a GP's queue is an
    # index walk in queue order like any other (docs/triage.md, "The queue's arms"). The
    # database keeps it in step (migration 0011's triggers): set from the patient when a row
    # is inserted without it or changes patient, and followed when the patient moves. No
    # constraint of its own: the patient's foreign key already guards the value.
    registered_practice = models.ForeignKey(
        Organisation,
        on_delete=models.DO_NOTHING,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    referring_clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals_made",
    )
    provider = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="referrals_received", db_index=False
    )
    treatment_function = models.ForeignKey(
        TreatmentFunction, on_delete=models.PROTECT, related_name="referrals", db_index=False
    )
    priority = models.CharField(max_length=16, choices=Priority.choices)
    clock_start = models.DateField(help_text="RTT clock start (English local date).")
    reason = models.TextField(blank=True)
    status = models.CharField(max_length=24, choices=Status.choices, default=Status.AWAITING_REVIEW)
    category = models.CharField(  # noqa: DJ001 - null until reviewed (API: "category": null)
        max_length=3,
        choices=Category.choices,
        null=True,
        blank=True,
        help_text="Clinical category from review; empty until reviewed.",
    )
    panel = models.ForeignKey(
        ReviewPanel,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        db_index=False,
    )
    deferred = models.BooleanField(
        default=False, help_text="P5/P6: the patient chose to wait; shown apart from the queue."
    )
    contact_on = models.DateField(
        null=True, blank=True, help_text="When to contact a deferred (P5/P6) patient again."
    )
    appointment_on = models.DateField(null=True, blank=True)
    appointments_booked = models.PositiveSmallIntegerField(default=0)
    dna_count = models.PositiveSmallIntegerField(default=0)
    awaiting_rebook = models.BooleanField(
        default=False,
        help_text="The patient did not attend; the provider rebooks (no re-referral).",
    )
    clock_restart_pending = models.BooleanField(
        default=False,
        help_text="RTT: a DNA of the first appointment nullified the clock; rebooking restarts it.",
    )
    clock_stopped_on = models.DateField(null=True, blank=True)
    redirected_from = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="redirected_to"
    )
    # Maintained by the queue recomputation (triage.queue), never by hand.
    effective_category = models.CharField(max_length=3, choices=Category.choices, blank=True)
    urgency_rank = models.PositiveSmallIntegerField(null=True, blank=True)
    target_date = models.DateField(null=True, blank=True)
    position = models.PositiveIntegerField(null=True, blank=True)
    # Optimistic concurrency: every state change bumps it; a stale writer gets HTTP 409.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(ubrn__isnull=False) | ~Q(external_id=""),
                name="referral_has_identifier",
            ),
            models.CheckConstraint(
                condition=Q(category__isnull=True) | Q(category__in=REVIEWED_CATEGORIES),
                name="referral_category_reviewed_values",
            ),
            models.CheckConstraint(
                condition=Q(deferred=False) | Q(contact_on__isnull=False),
                name="referral_deferred_has_contact_date",
            ),
        ]
        indexes = [
            # Queue order within a service, and across all services, open and not deferred only.
            models.Index(
                fields=[
                    "provider",
                    "treatment_function",
                    "target_date",
                    "urgency_rank",
                    "clock_start",
                    "id",
                ],
                condition=QUEUE_Q,
                name="referral_service_queue_idx",
            ),
            models.Index(
                fields=["provider", "target_date", "urgency_rank", "clock_start", "id"],
                condition=QUEUE_Q,
                name="referral_provider_queue_idx",
            ),
            models.Index(
                fields=["target_date", "urgency_rank", "clock_start", "id"],
                condition=QUEUE_Q,
                name="referral_queue_idx",
            ),
            # The arms of a clinician's queue, each in queue order (triage.selectors.access):
            # the referring practice, patients registered at a practice who were referred by
            # another (few), and a panel's referrals.
            models.Index(
                fields=["referring_practice", *QUEUE_KEY_FIELDS],
                condition=QUEUE_Q,
                name="referral_practice_queue_idx",
            ),
            models.Index(
                fields=["registered_practice", *QUEUE_KEY_FIELDS],
                condition=QUEUE_Q & REGISTERED_ELSEWHERE_Q,
                name="referral_registered_queue_idx",
            ),
            models.Index(
                fields=["panel", *QUEUE_KEY_FIELDS],
                condition=QUEUE_Q & Q(panel__isnull=False),
                name="referral_panel_queue_idx",
            ),
            models.Index(fields=["referring_practice", "status"], name="referral_practice_idx"),
            models.Index(fields=["panel", "status"], name="referral_panel_idx"),
            # A service's rows by status: the recomputation's per-service statements, and a
            # provider's worklists (status tested inside the index).
            models.Index(
                fields=["provider", "treatment_function", "status"],
                name="referral_service_status_idx",
            ),
            models.Index(fields=["patient"], name="referral_patient_idx"),
        ]

    def __str__(self) -> str:
        return f"Referral {self.ubrn or self.external_id}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def identifier(self) -> str:
        return self.ubrn or self.external_id


class EventKind(models.TextChoices):
    CREATED = "created", "Referral received"
    STATUS = "status", "Status changed"
    CLOCK = "clock", "RTT clock changed"
    PANEL = "panel", "Assigned to panel"
    CATEGORY = "category", "Category changed"
    NOTE = "note", "Note"


class ReferralEvent(models.Model):
    """The referral's history: every status change and every clock change, with who and why."""

    # Indexed by referral_event_idx (referral, at), which leads with it.
    referral = models.ForeignKey(
        Referral, on_delete=models.PROTECT, related_name="events", db_index=False
    )
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )
    kind = models.CharField(max_length=16, choices=EventKind.choices)
    from_status = models.CharField(max_length=24, blank=True)
    to_status = models.CharField(max_length=24, blank=True)
    clock_start_before = models.DateField(null=True, blank=True)
    clock_start_after = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["referral", "at"], name="referral_event_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.at:%Y-%m-%d %H:%M}"
