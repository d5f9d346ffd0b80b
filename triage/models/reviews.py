"""Clinical reviews and harm reviews of a referral (docs/product.md §2)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from triage.models.referrals import REVIEWED_CATEGORIES, Category, Referral, ReviewPanel


class Outcome(models.TextChoices):
    ACCEPT = "accept", "Accept"
    RETURN_TO_REFERRER = "return", "Return to referrer with advice"
    REDIRECT = "redirect", "Redirect to another service"
    REQUEST_ADVICE = "request_advice", "Ask the referring GP"


class Review(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews"
    )
    panel = models.ForeignKey(
        ReviewPanel, on_delete=models.PROTECT, null=True, blank=True, related_name="reviews"
    )
    category = models.CharField(max_length=3, choices=Category.choices)
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    rationale = models.TextField()
    referral_version = models.PositiveIntegerField(
        help_text="The referral version the reviewer saw; the race winner's is unique."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(category__in=REVIEWED_CATEGORIES), name="review_category_values"
            ),
            # Two reviewers saving against the same version: the database lets only one in.
            models.UniqueConstraint(
                fields=["referral", "referral_version"], name="review_one_per_version"
            ),
        ]

    def __str__(self) -> str:
        return f"Review {self.category} {self.outcome}"


class HarmOutcome(models.TextChoices):
    NO_HARM = "no_harm", "No harm"
    REPRIORITISED = "reprioritised", "Worsened: re-prioritised"
    REINVESTIGATE = "reinvestigate", "Re-investigate"
    REMOVE = "remove", "Remove from the list (clinical decision, patient agrees)"


class HarmReview(models.Model):
    """Clinical harm review of a long or breached wait (docs/product.md §2)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="harm_reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    outcome = models.CharField(max_length=16, choices=HarmOutcome.choices)
    new_category = models.CharField(max_length=3, choices=Category.choices, blank=True)
    patient_agreed = models.BooleanField(default=False)
    notes = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome="remove") | Q(patient_agreed=True),
                name="harm_remove_needs_patient_agreement",
            ),
            models.CheckConstraint(
                condition=~Q(outcome="reprioritised") | ~Q(new_category=""),
                name="harm_reprioritised_needs_category",
            ),
        ]

    def __str__(self) -> str:
        return f"Harm review {self.outcome}"
