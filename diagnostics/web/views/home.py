"""The diagnostics home: a clinician's own test requests; a hub's bookings of the day."""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from audit.models import AuditAction
from diagnostics import selectors
from diagnostics.models import BookingStatus
from diagnostics.web.views.shared import (
    LIST_LIMIT,
    audit_shown,
    is_hub_user,
    require_clinician,
)


def _day(request) -> tuple[datetime.date, bool]:
    """The day asked for (``?day=2026-12-07``), or today; and whether what was asked was valid."""
    text = request.GET.get("day", "")
    if not text:
        return timezone.localdate(), True
    try:
        return datetime.date.fromisoformat(text), True
    except ValueError:
        return timezone.localdate(), False


@login_required
def home(request):
    user = request.user
    require_clinician(user)
    if is_hub_user(user):
        return _hub_day(request)
    bookings = list(
        selectors.bookings_visible_to(user)
        .filter(requester=user)
        .select_related("result", "referral")
        .order_by("-requested_at", "-id")[:LIST_LIMIT]
    )
    audit_shown(request, bookings, action=AuditAction.LIST, object_type="diagnostic_booking")
    return render(
        request,
        "diagnostics/home.html",
        {"bookings": bookings, "limited": len(bookings) == LIST_LIMIT, "hub": False},
    )


def _hub_day(request):
    day, valid = _day(request)
    bookings = list(selectors.hub_bookings(request.user, day=day).select_related("result"))
    audit_shown(request, bookings, action=AuditAction.LIST, object_type="diagnostic_booking")
    now = timezone.now()
    to_attend = [b for b in bookings if b.status == BookingStatus.BOOKED]
    to_result = [
        b for b in bookings if b.status == BookingStatus.ATTENDED and not hasattr(b, "result")
    ]
    context = {
        "hub": True,
        "day": day,
        "today": timezone.localdate(),
        "day_invalid": not valid,
        "previous_day": day - datetime.timedelta(days=1),
        "next_day": day + datetime.timedelta(days=1),
        "bookings": bookings,
        "to_attend": len(to_attend),
        "to_result": len(to_result),
        "now": now,
    }
    return render(request, "diagnostics/home.html", context, status=400 if not valid else 200)
