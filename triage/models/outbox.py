"""Follow-up work recorded in the transaction of the change that needs it (docs/architecture.md,
"Follow-up work and sweeps")."""

from django.db import models

from directory.models import Organisation


class QueueRecomputeRequest(models.Model):
    """ "This service's queue needs recomputing": written in the same transaction as the change,
    so the request commits with it or not at all. The task sent on commit, or else the next
    sweep, recomputes the service and deletes the rows it covered.

    Insert-only: every change adds its own row and nothing updates one, so concurrent writers
    never wait on each other here. The provider is a plain reference (no database constraint):
    a foreign key check would share-lock the organisation's row in every clinical write, and a
    request left by a deleted organisation recomputes nothing and is deleted like any other.
    """

    provider = models.ForeignKey(
        Organisation, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    treatment_function = models.CharField(
        max_length=3,
        blank=True,
        help_text="The service's treatment function code, or empty for every service of the "
        "provider.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["provider", "treatment_function", "id"],
                name="queue_recompute_req_service",
            )
        ]

    def __str__(self) -> str:
        return f"Recompute {self.provider_id}/{self.treatment_function or '*'}"
