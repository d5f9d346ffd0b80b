"""Triage's models, one module a subject; imported here so Django and callers find them."""

from triage.models.advice import AdviceDirection, AdviceRequest, AdviceStatus
from triage.models.backlog import BacklogSummary
from triage.models.outbox import QueueRecomputeRequest
from triage.models.referrals import (
    DEFERRED_CATEGORIES,
    OPEN_Q,
    OPEN_STATUSES,
    QUEUE_CATEGORIES_FOR_HARM,
    QUEUE_Q,
    REVIEWED_CATEGORIES,
    TREATMENT_FUNCTION_VALIDATOR,
    UBRN_VALIDATOR,
    URGENCY_ORDER,
    Category,
    EventKind,
    MembershipStatus,
    PanelMembership,
    Priority,
    Referral,
    ReferralEvent,
    ReviewPanel,
    Status,
    TreatmentFunction,
)
from triage.models.reviews import HarmOutcome, HarmReview, Outcome, Review

__all__ = [
    "DEFERRED_CATEGORIES",
    "OPEN_Q",
    "OPEN_STATUSES",
    "QUEUE_CATEGORIES_FOR_HARM",
    "QUEUE_Q",
    "REVIEWED_CATEGORIES",
    "TREATMENT_FUNCTION_VALIDATOR",
    "UBRN_VALIDATOR",
    "URGENCY_ORDER",
    "AdviceDirection",
    "AdviceRequest",
    "AdviceStatus",
    "BacklogSummary",
    "Category",
    "EventKind",
    "HarmOutcome",
    "HarmReview",
    "MembershipStatus",
    "Outcome",
    "PanelMembership",
    "Priority",
    "QueueRecomputeRequest",
    "Referral",
    "ReferralEvent",
    "Review",
    "ReviewPanel",
    "Status",
    "TreatmentFunction",
]
