"""The audit trail: who read or changed which patient's data (docs/product.md §1)."""

from django.conf import settings
from django.db import models
from django.utils import timezone


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

    Append-only: the admin offers no change or delete; on PostgreSQL triggers refuse UPDATE,
    DELETE and TRUNCATE, and the app's database role may only INSERT and SELECT. Each event
    carries ``hash``, the SHA-256 of its canonical text (``audit.chain``), which includes
    ``prev_hash``, the hash of the event before it: ``manage.py verify_audit`` finds any event
    altered, deleted or truncated since.
    """

    # Set by the writer before the row is hashed (never at save time, as auto_now_add would).
    at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    # No index of their own: the (patient, -at) and (user, -at) indexes below lead with them,
    # and every audited request writes its rows through each index there is. No database
    # constraint either: a foreign-key check locks the row it names (FOR KEY SHARE), so every
    # queue page would write to the fifty patient rows it only read, and a PTL import would
    # check each of its hundreds of thousands of events again at commit. The writers name rows
    # they have just read or written; deleting a patient or user is still refused (PROTECT).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_events",
        db_index=False,
        db_constraint=False,
    )
    patient = models.ForeignKey(
        "directory.Patient",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_events",
        db_index=False,
        db_constraint=False,
    )
    action = models.CharField(max_length=16, choices=AuditAction.choices)
    client = models.CharField(max_length=16, choices=AuditClient.choices)
    object_type = models.CharField(max_length=64, help_text="What was read or changed.")
    object_id = models.CharField(max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    detail = models.CharField(max_length=300, blank=True)
    # The chain (audit.chain): set by the database trigger on PostgreSQL, by audit_record on
    # SQLite; never by hand.
    prev_hash = models.CharField(max_length=64, blank=True, editable=False)
    hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["patient", "-at"]), models.Index(fields=["user", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.action} {self.object_type}"


class AuditChainHead(models.Model):
    """The newest event of the chain, and how many the chain holds: one row (id 1), written only
    by the chain's trigger (PostgreSQL, a SECURITY DEFINER function the app role may not
    bypass) or by audit_record (SQLite). It is how ``verify_audit`` notices that the newest
    events were deleted, or the whole table emptied, which no link between the remaining rows
    can show."""

    last_id = models.BigIntegerField()
    last_hash = models.CharField(max_length=64)
    count = models.BigIntegerField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="audit_chain_head_one_row")
        ]

    def __str__(self) -> str:
        return f"event {self.last_id} ({self.count} events) {self.last_hash}"
