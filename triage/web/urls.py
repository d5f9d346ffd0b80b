from django.urls import path

from triage.web import views

app_name = "triage"
urlpatterns = [
    path("queue/", views.queue, name="queue"),
    path("deferred/", views.deferred, name="deferred"),
    path("referrals/<uuid:referral_id>/", views.referral_detail, name="referral-detail"),
    path(
        "referrals/<uuid:referral_id>/<slug:action>/",
        views.referral_action,
        name="referral-action",
    ),
    path("worklists/", views.worklists, name="worklists"),
    path("worklists/<slug:slug>/", views.worklist_detail, name="worklist-detail"),
    path("advice/", views.advice_list, name="advice-list"),
    path("advice/new/", views.advice_new, name="advice-new"),
    path("advice/<uuid:advice_id>/", views.advice_detail, name="advice-detail"),
    path(
        "advice/<uuid:advice_id>/<slug:action>/",
        views.advice_action,
        name="advice-action",
    ),
    path("panels/", views.panels, name="panels"),
    path("panels/new/", views.panel_new, name="panel-new"),
    path("panels/<uuid:panel_id>/", views.panel_detail, name="panel-detail"),
    path("panels/<uuid:panel_id>/assign/", views.panel_assign, name="panel-assign"),
    path(
        "panels/<uuid:panel_id>/membership/accept/",
        views.panel_accept,
        name="panel-membership-accept",
    ),
    path(
        "panels/<uuid:panel_id>/membership/decline/",
        views.panel_decline,
        name="panel-membership-decline",
    ),
]
