"""The inbox (newest first, unread marked, all or unread only, keyset pages), marking one or
every alert read, and the email preferences page (docs/alerts.md).

Alerts name no patient, so showing the inbox reads no patient data; marking read goes through
``alerts.services``, which audits the alerts about a patient. Someone else's alert is 404."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from alerts.filters import AlertFilterSet
from alerts.presenters import alert_audience, alert_read_text
from alerts.rules import unread_count_text
from alerts.selectors import alert_get_for_user, alert_page, alert_preference_for, alerts_visible_to
from alerts.services import alert_mark_read, alert_preference_set, alerts_mark_all_read
from alerts.web.forms import AlertPreferenceForm
from alerts.web.header import unread_count_for_request
from audit.web import browser_context
from core.errors import ApplicationError
from core.home import counted

PAGE_SIZE = 50


def _back(request) -> str:
    """Where a mark-read form returns to: the inbox page it was posted from (its filter and
    page kept), never anywhere else."""
    inbox = reverse("alerts:inbox")
    target = request.POST.get("next", "")
    if target.startswith(inbox) and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return inbox


@login_required
def inbox(request):
    user = request.user
    filterset = AlertFilterSet(request.GET or None, queryset=alerts_visible_to(user))
    unread_only = request.GET.get("unread") == "true"
    context = {
        "filter_form": filterset.form,
        "unread_only": unread_only,
        "unread_count": unread_count_text(unread_count_for_request(request)),
        "has_unread": unread_count_for_request(request) > 0,
        "rows": [],
        "page": None,
        "next": request.get_full_path(),
    }
    if filterset.is_bound and not filterset.is_valid():
        context["page_error"] = "Choose all alerts or unread alerts only."
        return render(request, "alerts/inbox.html", context, status=400)
    try:
        page = alert_page(
            user=user,
            cursor=request.GET.get("cursor") or None,
            page_size=PAGE_SIZE,
            narrow=lambda alerts: AlertFilterSet(request.GET, queryset=alerts).qs,
        )
    except ApplicationError as error:
        context["page_error"] = error.message
        return render(request, "alerts/inbox.html", context, status=400)
    context["page"] = page
    context["rows"] = [
        {"alert": alert, "audience": alert_audience(alert), "read_text": alert_read_text(alert)}
        for alert in page.rows
    ]
    return render(request, "alerts/inbox.html", context)


@login_required
@require_POST
def read(request, alert_id):
    alert = alert_get_for_user(user=request.user, alert_uuid=alert_id)
    alert_mark_read(alert=alert, actor=request.user, context=browser_context(request))
    return redirect(_back(request))


@login_required
@require_POST
def read_all(request):
    marked = alerts_mark_all_read(actor=request.user, context=browser_context(request))
    messages.success(request, f"{counted(marked, 'alert').capitalize()} marked as read.")
    return redirect(_back(request))


@login_required
def preferences(request):
    current = alert_preference_for(request.user)
    data = request.POST if request.method == "POST" else None
    form = AlertPreferenceForm(data, initial={"email_mode": current.email_mode})
    if request.method == "POST":
        if form.is_valid():
            alert_preference_set(actor=request.user, email_mode=form.cleaned_data["email_mode"])
            messages.success(request, "Your email preference is saved.")
            return redirect("alerts:preferences")
        return render(request, "alerts/preferences.html", _preferences_context(form), status=400)
    return render(request, "alerts/preferences.html", _preferences_context(form))


def _preferences_context(form) -> dict:
    return {"form": form, "digest_time": f"{settings.ALERTS_DIGEST_HOUR:02d}:00"}
