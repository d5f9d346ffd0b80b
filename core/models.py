"""Core's one table: the API's Idempotency-Key records (docs/api.md, "Idempotency-Key")."""

from django.conf import settings
from django.db import models


class IdempotencyRecord(models.Model):
    """A POST made with an ``Idempotency-Key``: which request it was and, once answered, the
    response, replayed to a repeat of the same request by the same user within the key's
    lifetime (``API_IDEMPOTENCY_KEY_HOURS``). ``status_code`` is empty while the first request
    is still running. Expired records are deleted by the ``core.idempotency_expired`` sweep."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    method = models.CharField(max_length=10)
    path = models.TextField()
    request_sha256 = models.CharField(max_length=64, help_text="SHA-256 of the request body.")
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    content_type = models.CharField(max_length=200, blank=True)
    body = models.BinaryField(blank=True, default=b"")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_one_per_user_key")
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.path} ({self.key})"
