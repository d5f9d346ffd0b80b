"""Triage reads. ``access`` decides which referrals a user may see; every list, page,
endpoint and export goes through it. The names are gathered here for callers."""

from triage.selectors.access import (
    advice_patient_rule,
    is_pseudonymised_for,
    panel_ids_of,
    provider_side_q,
    referral_access_filter,
    referral_patient_rule,
)
from triage.selectors.advice import advice_awaiting_reply, advice_get_for_user, advice_visible_to
from triage.selectors.backlog import backlog_summaries_visible_to, backlog_totals
from triage.selectors.panels import (
    panel_choices_for,
    panel_for_assignment,
    panel_get_for_user,
    panels_visible_to,
)
from triage.selectors.referrals import (
    QUEUE_KEY,
    QUEUE_ORDER,
    REFERRAL_RELATED,
    deferred_for_user,
    queue_for_user,
    referral_for_action,
    referral_get_for_user,
    referral_history,
    referral_reviews,
    referrals_visible_to,
)
from triage.selectors.worklists import (
    WORKLISTS,
    Worklist,
    harm_review_due_q,
    worklist_awaiting_booking,
    worklist_counts,
    worklist_dna_rebook,
    worklist_for_review,
    worklist_harm_reviews_due,
    worklist_queryset,
)

__all__ = [
    "QUEUE_KEY",
    "QUEUE_ORDER",
    "REFERRAL_RELATED",
    "WORKLISTS",
    "Worklist",
    "advice_awaiting_reply",
    "advice_get_for_user",
    "advice_patient_rule",
    "advice_visible_to",
    "backlog_summaries_visible_to",
    "backlog_totals",
    "deferred_for_user",
    "harm_review_due_q",
    "is_pseudonymised_for",
    "panel_choices_for",
    "panel_for_assignment",
    "panel_get_for_user",
    "panel_ids_of",
    "panels_visible_to",
    "provider_side_q",
    "queue_for_user",
    "referral_access_filter",
    "referral_for_action",
    "referral_get_for_user",
    "referral_history",
    "referral_patient_rule",
    "referral_reviews",
    "referrals_visible_to",
    "worklist_awaiting_booking",
    "worklist_counts",
    "worklist_dna_rebook",
    "worklist_for_review",
    "worklist_harm_reviews_due",
    "worklist_queryset",
]
