"""Backlog counts per service, rebuilt by every queue recomputation."""

from django.db import models

from directory.models import Organisation
from triage.models.referrals import TreatmentFunction


class BacklogSummary(models.Model):
    """Backlog counts per service, rebuilt set-based by every queue recomputation so that the
    queue pages and dashboards read a few hundred rows instead of counting millions.

    Counts are as of ``as_of`` (breaches and wait bands depend on the day); the nightly run and
    every import, review or status change refresh the provider concerned.
    """

    provider = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    treatment_function = models.ForeignKey(
        TreatmentFunction, on_delete=models.CASCADE, related_name="+"
    )
    as_of = models.DateField()
    open_referrals = models.PositiveIntegerField(help_text="Open, including deferred (P5/P6).")
    deferred = models.PositiveIntegerField()
    unreviewed = models.PositiveIntegerField()
    breached = models.PositiveIntegerField()
    waits_52_plus = models.PositiveIntegerField()
    waits_78_plus = models.PositiveIntegerField()
    waits_104_plus = models.PositiveIntegerField()
    band_0_18 = models.PositiveIntegerField()
    band_18_52 = models.PositiveIntegerField()
    band_52_78 = models.PositiveIntegerField()
    band_78_104 = models.PositiveIntegerField()
    band_104_plus = models.PositiveIntegerField()
    # Worklist counts (docs/product.md §2), for the navigation without counting on each request.
    for_review = models.PositiveIntegerField(default=0)
    awaiting_booking = models.PositiveIntegerField(default=0)
    dna_rebook = models.PositiveIntegerField(default=0)
    harm_review_due = models.PositiveIntegerField(default=0)
    # Referrals on at least one of those worklists, each counted once: a breached referral
    # awaiting review is on two lists, and the navigation badge must not count it twice.
    needs_action = models.PositiveIntegerField(default=0)
    # When the recomputation that wrote this row ran: the "as of" time shown beside totals.
    computed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "treatment_function"], name="backlog_summary_one_per_service"
            )
        ]

    def __str__(self) -> str:
        return f"Backlog {self.provider_id}/{self.treatment_function_id} on {self.as_of}"
