"""The alerts inbox every app raises into (docs/alerts.md)."""

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone

from directory.models import Organisation, Patient, User


class EmailOutcome(models.TextChoices):
    """What the immediate email sweep did with an alert (``Alert.email_outcome``): whatever it
    was, the alert is marked so that no sweep looks at it again."""

    SENT = "sent", "Emailed"
    NOT_WANTED = "not_wanted", "Not emailed: no recipient wants each alert emailed"
    NO_ADDRESS = "no_address", "Not emailed: no active recipient has an email address"
    READ_FIRST = "read_first", "Not emailed: read before it was due"


class Alert(models.Model):
    """Something a person, or an organisation's staff, must act on.

    ``key`` is unique: it names the fact the alert is about ("result 1234 unacknowledged"), so
    raising the same alert twice, from a second sweep or a second worker, inserts nothing.
    An alert goes to one user or to one organisation (shared by its staff like a team inbox:
    one of them reading it reads it for all). ``subject`` never carries a patient identifier,
    because it is also emailed; the record behind ``link`` is shown only to those who may see it.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=64, db_index=True)
    key = models.CharField(max_length=200, unique=True)
    recipient = models.ForeignKey(
        User, on_delete=models.CASCADE, null=True, blank=True, related_name="alerts"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="alerts"
    )
    patient = models.ForeignKey(
        Patient, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    subject = models.CharField(max_length=300)
    link = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    read_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Set, with the outcome, by the sweep that claimed the alert for email (sent or not), in
    # the transaction that sent it: an alert is looked at by that sweep once.
    emailed_at = models.DateTimeField(null=True, blank=True)
    # A database default too: ``alerts_raise`` inserts with SQL of its own.
    email_outcome = models.CharField(
        max_length=16, choices=EmailOutcome.choices, blank=True, default="", db_default=""
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(recipient__isnull=False) & Q(organisation__isnull=True))
                | (Q(recipient__isnull=True) & Q(organisation__isnull=False)),
                name="alert_one_recipient_or_organisation",
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="alert_recipient_unread"),
            models.Index(fields=["organisation", "read_at"], name="alert_organisation_unread"),
            # The inbox, newest first: each part (own, team) walked in order, a page at a time.
            models.Index(fields=["recipient", "created_at", "id"], name="alert_recipient_newest"),
            models.Index(
                fields=["organisation", "created_at", "id"], name="alert_organisation_newest"
            ),
            # The immediate email sweep's claim: the few alerts not yet looked at, oldest first.
            models.Index(
                fields=["id"], condition=Q(emailed_at__isnull=True), name="alert_email_pending"
            ),
        ]

    def __str__(self) -> str:
        return self.subject


class EmailMode(models.TextChoices):
    IMMEDIATE = "immediate", "Email me each alert as it comes"
    DIGEST = "digest", "Email me one daily digest of my unread alerts"
    NONE = "none", "Do not email me: I will check my alerts in Interface"


class AlertPreference(models.Model):
    """How a user wants their alerts emailed. A user without one gets each alert as it comes
    (``EmailMode.IMMEDIATE``, the default)."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="alert_preference")
    email_mode = models.CharField(
        max_length=16, choices=EmailMode.choices, default=EmailMode.IMMEDIATE
    )
    # The digest sweep has considered every alert raised up to this time (its last digest,
    # or when the user chose the digest): the next digest covers the alerts raised after it.
    digest_through = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(
                fields=["digest_through"],
                condition=Q(email_mode="digest"),
                name="alertpreference_digest_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_email_mode_display()}"
