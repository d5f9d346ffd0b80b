"""The alerts inbox every app raises into (docs/alerts.md)."""

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone

from directory.models import Organisation, Patient, User


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
    emailed_at = models.DateTimeField(null=True, blank=True)

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
        ]

    def __str__(self) -> str:
        return self.subject
