"""Triage API (docs/product.md §7): the queue, referrals, reviews, pathway actions, panels, advice
and FHIR. Each view reads through ``triage.selectors`` and writes through ``triage.services``,
so the browser and the API apply the same access rules; every patient-identifiable read is
audited here."""

from triage.api.views.advice import AdviceConvertApi, AdviceListCreateApi, AdviceReplyApi
from triage.api.views.panels import (
    PanelAssignApi,
    PanelDetailApi,
    PanelInvitationListApi,
    PanelListCreateApi,
    PanelMembershipAcceptApi,
    PanelMembershipDeclineApi,
)
from triage.api.views.queue import QueueKeysetPagination, QueueListApi
from triage.api.views.referrals import (
    ReferralAssignPanelApi,
    ReferralBookApi,
    ReferralCancelApi,
    ReferralDetailApi,
    ReferralFhirApi,
    ReferralHarmReviewApi,
    ReferralListCreateApi,
    ReferralRecordDnaApi,
    ReferralReviewApi,
    ReferralStopClockApi,
)

__all__ = [
    "AdviceConvertApi",
    "AdviceListCreateApi",
    "AdviceReplyApi",
    "PanelAssignApi",
    "PanelDetailApi",
    "PanelInvitationListApi",
    "PanelListCreateApi",
    "PanelMembershipAcceptApi",
    "PanelMembershipDeclineApi",
    "QueueKeysetPagination",
    "QueueListApi",
    "ReferralAssignPanelApi",
    "ReferralBookApi",
    "ReferralCancelApi",
    "ReferralDetailApi",
    "ReferralFhirApi",
    "ReferralHarmReviewApi",
    "ReferralListCreateApi",
    "ReferralRecordDnaApi",
    "ReferralReviewApi",
    "ReferralStopClockApi",
]
