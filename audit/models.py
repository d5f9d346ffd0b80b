"""The audit trail: who read or changed which patient's data (docs/product.md §1)."""

from django.conf import settings
from django.db import models


class AuditAction(models.TextChoices):
    VIEW = "view", "Viewed"
    LIST = "list", "Listed"
    CREATE = "create", "Created"
    UPDATE = "update", "Changed"
    EXPORT = "export", "Exported"
    # A request for a record the user may not see or act on (answered 404 or 403): object_type
    # names the route, object_id the id asked for, and no patient is named.
    REFUSED = "refused", "Refused"


class AuditClient(models.TextChoices):
    BROWSER = "browser", "Browser"
    API = "api", "API"
    ADMIN = "admin", "Admin"
    COMMAND = "command", "Management command"
    TASK = "task", "Background task"


class AuditEvent(models.Model):
    """Who did what to which patient's data, when, and from which client (docs/product.md §1).

    Append-only: the admin offers no change or delete, and on PostgreSQL a trigger refuses
    UPDATE and DELETE of rows outright.
    """

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_events",
    )
    patient = models.ForeignKey(
        "directory.Patient",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_events",
    )
    action = models.CharField(max_length=16, choices=AuditAction.choices)
    client = models.CharField(max_length=16, choices=AuditClient.choices)
    object_type = models.CharField(max_length=64, help_text="What was read or changed.")
    object_id = models.CharField(max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    detail = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["patient", "-at"]), models.Index(fields=["user", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.action} {self.object_type}"
