"""Triage API routes under /api/v1/ (docs/product.md §7). Ids in URLs are UUIDs."""

from django.urls import path

from triage.api import views as apis

referral = "referrals/<uuid:referral_id>/"
advice = "advice-requests/<uuid:advice_id>/"

urlpatterns = [
    path("queue/", apis.QueueListApi.as_view(), name="api-queue"),
    path("referrals/", apis.ReferralListCreateApi.as_view(), name="api-referral-list"),
    path(referral, apis.ReferralDetailApi.as_view(), name="api-referral-detail"),
    path(f"{referral}review/", apis.ReferralReviewApi.as_view(), name="api-referral-review"),
    path(f"{referral}book/", apis.ReferralBookApi.as_view(), name="api-referral-book"),
    path(f"{referral}dna/", apis.ReferralRecordDnaApi.as_view(), name="api-referral-dna"),
    path(
        f"{referral}stop-clock/",
        apis.ReferralStopClockApi.as_view(),
        name="api-referral-stop-clock",
    ),
    path(f"{referral}cancel/", apis.ReferralCancelApi.as_view(), name="api-referral-cancel"),
    path(
        f"{referral}harm-review/",
        apis.ReferralHarmReviewApi.as_view(),
        name="api-referral-harm-review",
    ),
    path(
        f"{referral}assign-panel/",
        apis.ReferralAssignPanelApi.as_view(),
        name="api-referral-assign-panel",
    ),
    path(f"{referral}fhir/", apis.ReferralFhirApi.as_view(), name="api-referral-fhir"),
    path("panels/", apis.PanelListCreateApi.as_view(), name="api-panel-list"),
    path("panels/<uuid:panel_id>/", apis.PanelDetailApi.as_view(), name="api-panel-detail"),
    path("panels/<uuid:panel_id>/assign/", apis.PanelAssignApi.as_view(), name="api-panel-assign"),
    path(
        "panels/invitations/",
        apis.PanelInvitationListApi.as_view(),
        name="api-panel-invitations",
    ),
    path(
        "panels/<uuid:panel_id>/membership/accept/",
        apis.PanelMembershipAcceptApi.as_view(),
        name="api-panel-membership-accept",
    ),
    path(
        "panels/<uuid:panel_id>/membership/decline/",
        apis.PanelMembershipDeclineApi.as_view(),
        name="api-panel-membership-decline",
    ),
    path("advice-requests/", apis.AdviceListCreateApi.as_view(), name="api-advice-list"),
    path(f"{advice}reply/", apis.AdviceReplyApi.as_view(), name="api-advice-reply"),
    path(f"{advice}convert/", apis.AdviceConvertApi.as_view(), name="api-advice-convert"),
]
