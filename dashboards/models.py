"""The dashboards' daily snapshots (docs/product.md §6): aggregates only, never a patient.

One :class:`SnapshotDay` per date, whatever the number of runs; its rows are written in the
same transaction as the day's row, so a day is either whole or absent. Rows carry the
provider's ICB as it was that day, so a manager's trends are an indexed range of their ICB.
"""

from django.db import models

from directory.models import Organisation


class SnapshotDay(models.Model):
    """The day a snapshot was taken, once: the unique date is the lock that keeps a second or
    concurrent run from taking another."""

    day = models.DateField(unique=True, help_text="English local date the figures are as of.")
    taken_at = models.DateTimeField(help_text="When the snapshot was taken.")
    backfilled = models.BooleanField(
        default=False, help_text="Synthetic history written by the demo, not a real run."
    )

    class Meta:
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"Snapshot of {self.day}"


class ServiceSnapshot(models.Model):
    """One service's (provider + treatment function) waiting list on one day."""

    day = models.DateField()
    icb = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    provider = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    treatment_function = models.CharField(
        max_length=3, help_text="NHS Data Dictionary treatment function code, 3 digits."
    )
    open_referrals = models.PositiveIntegerField(help_text="Open, including deferred (P5/P6).")
    deferred = models.PositiveIntegerField(default=0)
    unreviewed = models.PositiveIntegerField(default=0)
    breached = models.PositiveIntegerField(default=0)
    # Weeks-waited bands in completed weeks, half-open (docs/product.md §6).
    band_0_18 = models.PositiveIntegerField(default=0)
    band_18_52 = models.PositiveIntegerField(default=0)
    band_52_78 = models.PositiveIntegerField(default=0)
    band_78_104 = models.PositiveIntegerField(default=0)
    band_104_plus = models.PositiveIntegerField(default=0)
    # The category shown: reviewed, provisional from the GP's priority, or P5/P6 (deferred).
    category_p1a = models.PositiveIntegerField(default=0)
    category_p1b = models.PositiveIntegerField(default=0)
    category_2ww = models.PositiveIntegerField(default=0)
    category_p2 = models.PositiveIntegerField(default=0)
    category_p3 = models.PositiveIntegerField(default=0)
    category_p4 = models.PositiveIntegerField(default=0)
    category_p5 = models.PositiveIntegerField(default=0)
    category_p6 = models.PositiveIntegerField(default=0)
    advice_pending = models.PositiveIntegerField(default=0, help_text="Awaiting a reply.")
    reviews_7_days = models.PositiveIntegerField(
        default=0, help_text="Reviews recorded in the 7 days to this day (throughput)."
    )
    received_12_weeks = models.PositiveIntegerField(
        default=0, help_text="Clock starts in the 12 weeks to this day (demand)."
    )
    stopped_12_weeks = models.PositiveIntegerField(
        default=0, help_text="Clocks stopped in the 12 weeks to this day (capacity)."
    )
    days_waited = models.BigIntegerField(
        default=0, help_text="Days waited, summed over the open referrals (for the mean)."
    )
    weeks_waited = models.JSONField(
        default=list,
        blank=True,
        help_text="Open referrals by completed weeks waited, 0 to 104+ (the forecast's start); "
        "empty on backfilled days.",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "provider", "treatment_function"],
                name="service_snapshot_one_per_day",
            )
        ]
        indexes = [
            models.Index(fields=["icb", "day"], name="service_snapshot_icb_day"),
            models.Index(fields=["provider", "day"], name="service_snapshot_provider_day"),
        ]

    def __str__(self) -> str:
        return f"{self.provider_id}/{self.treatment_function} on {self.day}"


class DiagnosticSnapshot(models.Model):
    """A hub's waits for one test type on one day, against the 6-week standard (DM01)."""

    day = models.DateField()
    icb = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    hub = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    test_type = models.CharField(max_length=18, help_text="SNOMED CT code of the test type.")
    test_type_name = models.CharField(max_length=120, blank=True)
    waiting = models.PositiveIntegerField(default=0)
    over_6_weeks = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "hub", "test_type"], name="diagnostic_snapshot_one_per_day"
            )
        ]
        indexes = [models.Index(fields=["icb", "day"], name="diagnostic_snapshot_icb_day")]

    def __str__(self) -> str:
        return f"{self.hub_id} {self.test_type} on {self.day}"


class BudgetSnapshot(models.Model):
    """A joint prescribing budget's position on one day (money in pounds)."""

    day = models.DateField()
    icb = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    budget = models.CharField(max_length=36, help_text="The budget's id (a UUID).")
    therapeutic_area = models.CharField(
        max_length=200, blank=True, help_text="Empty for the ICB's whole prescribing budget."
    )
    financial_year = models.CharField(max_length=7, help_text='e.g. "2026/27"')
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    spent = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    committed = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    forecast_outturn = models.DecimalField(max_digits=14, decimal_places=2, default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "budget"],
                name="budget_snapshot_one_per_day",
            )
        ]
        indexes = [models.Index(fields=["icb", "day"], name="budget_snapshot_icb_day")]

    def __str__(self) -> str:
        return f"Budget {self.budget} on {self.day}"


class ComplianceSnapshot(models.Model):
    """A provider's contract obligations of one duty on one day (docs/product.md §5)."""

    day = models.DateField()
    icb = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    provider = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    duty = models.CharField(max_length=40)
    due = models.PositiveIntegerField(default=0)
    met = models.PositiveIntegerField(default=0)
    met_late = models.PositiveIntegerField(default=0)
    overdue = models.PositiveIntegerField(default=0)
    breach_reports = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "provider", "duty"], name="compliance_snapshot_one_per_day"
            )
        ]
        indexes = [models.Index(fields=["icb", "day"], name="compliance_snapshot_icb_day")]

    def __str__(self) -> str:
        return f"{self.provider_id} {self.duty} on {self.day}"
