"""Joint prescribing budgets and their oversight committees (docs/product.md §4)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from directory.models import Organisation, OrganisationKind

# The first and last financial years a budget may be set for: a typo such as 20226 is refused.
FIRST_FINANCIAL_YEAR = 2000
LAST_FINANCIAL_YEAR = 2099


class Budget(models.Model):
    """A joint prescribing budget: an ICB's money for one financial year (1 April to 31 March),
    optionally for one pathway or therapeutic area, overseen by a committee whose members come
    from primary, community and secondary care."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    icb = models.ForeignKey(
        Organisation,
        verbose_name="ICB",
        on_delete=models.PROTECT,
        related_name="prescribing_budgets",
        limit_choices_to={"kind": OrganisationKind.ICB},
        help_text="The integrated care board (the area) whose budget this is.",
    )
    financial_year = models.PositiveSmallIntegerField(
        help_text="The year the financial year starts on 1 April: 2026 is 2026/27."
    )
    amount = models.DecimalField(max_digits=14, decimal_places=2, help_text="In pounds.")
    therapeutic_area = models.CharField(
        max_length=120, blank=True, help_text="A pathway or therapeutic area; empty for all."
    )
    committee = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="prescribing_committees",
        help_text="The oversight committee: clinicians from primary, community and secondary care.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-financial_year", "therapeutic_area", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="budget_amount_positive"),
            models.CheckConstraint(
                condition=Q(financial_year__gte=FIRST_FINANCIAL_YEAR)
                & Q(financial_year__lte=LAST_FINANCIAL_YEAR),
                name="budget_financial_year_range",
            ),
            models.UniqueConstraint(
                fields=["icb", "financial_year", "therapeutic_area"],
                name="budget_unique_per_icb_year_area",
            ),
        ]

    def __str__(self) -> str:
        year = f"{self.financial_year}/{(self.financial_year + 1) % 100:02d}"
        area = f" {self.therapeutic_area}" if self.therapeutic_area else ""
        return f"Budget {year}{area}"
