"""The capacity screen: a hub's week of slots, and a week's template that creates them."""

from __future__ import annotations

import datetime
from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from audit.web import browser_context
from core.errors import ApplicationError
from diagnostics import permissions, selectors
from diagnostics.services import SlotTemplateRow, slots_template_apply
from diagnostics.web.forms import SlotTemplateFormSet, WeekForm


def _monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _week(request) -> tuple[datetime.date, bool]:
    """The Monday of the week asked for (``?week=2026-12-07``, any day of it), or this week's."""
    text = request.GET.get("week", "")
    try:
        return _monday(datetime.date.fromisoformat(text) if text else timezone.localdate()), True
    except ValueError:
        return _monday(timezone.localdate()), False


def _days(hub, week_start: datetime.date) -> list[dict]:
    """The week's slots by day, each day with its slots in time order."""
    slots = selectors.hub_slots(
        hub, date_from=week_start, date_to=week_start + datetime.timedelta(days=6)
    )
    by_day = {
        day: list(group)
        for day, group in groupby(slots, key=lambda s: timezone.localtime(s.starts_at).date())
    }
    days = []
    for n in range(7):
        day = week_start + datetime.timedelta(days=n)
        slots_of_day = by_day.get(day, [])
        days.append(
            {
                "day": day,
                "slots": slots_of_day,
                "booked": sum(s.booked for s in slots_of_day),
                "places": sum(s.capacity for s in slots_of_day),
            }
        )
    return days


def _render(request, *, week_start, week_form, formset, status=200, week_invalid=False):
    hub = request.user.organisation
    days = _days(hub, week_start)
    context = {
        "hub_org": hub,
        "week_start": week_start,
        "week_end": week_start + datetime.timedelta(days=6),
        "previous_week": week_start - datetime.timedelta(days=7),
        "next_week": week_start + datetime.timedelta(days=7),
        "days": days,
        "slot_count": sum(len(d["slots"]) for d in days),
        "week_form": week_form,
        "formset": formset,
        "week_invalid": week_invalid,
        "page_has_errors": bool(week_form.errors or formset.total_error_count()),
    }
    return render(request, "diagnostics/capacity.html", context, status=status)


@login_required
def capacity(request):
    """Hub staff only: no patient is shown here, only the hub's slots and their counts."""
    user = request.user
    hub = user.organisation
    if hub is None or not permissions.can_manage_slots(user, hub):
        raise PermissionDenied("Only a hub's diagnostics staff manage its capacity.")
    if request.method != "POST":
        week_start, valid = _week(request)
        return _render(
            request,
            week_start=week_start,
            week_form=WeekForm(initial={"week_start": week_start + datetime.timedelta(days=7)}),
            formset=SlotTemplateFormSet(prefix="rows"),
            status=200 if valid else 400,
            week_invalid=not valid,
        )
    week_form = WeekForm(request.POST)
    formset = SlotTemplateFormSet(request.POST, prefix="rows")
    week_ok, rows_ok = week_form.is_valid(), formset.is_valid()
    shown_week = _monday(timezone.localdate())
    if week_ok:
        shown_week = week_form.cleaned_data["week_start"]
    if week_ok and rows_ok:
        changed = [form for form in formset.forms if form.has_changed()]
        rows = [
            SlotTemplateRow(
                weekday=int(data["weekday"]),
                start=data["start"],
                test_type=data["test_type"],
                capacity=data["capacity"],
                count=data["count"],
                interval_minutes=data["interval_minutes"],
            )
            for data in (form.cleaned_data for form in changed)
        ]
        try:
            outcome = slots_template_apply(
                actor=user,
                context=browser_context(request),
                hub=hub,
                week_start=shown_week,
                rows=rows,
            )
        except ApplicationError as error:
            _apply_template_errors(error, week_form, changed)
        else:
            messages.success(request, _created_message(outcome))
            return redirect(f"{reverse('diagnostics:capacity')}?week={shown_week.isoformat()}")
    return _render(request, week_start=shown_week, week_form=week_form, formset=formset, status=400)


def _apply_template_errors(error: ApplicationError, week_form, changed: list) -> None:
    """The service names a template line's field ``rows.<n>.<field>`` (n counts the lines
    filled in): put each message on that line's field, and the rest above the form."""
    placed = False
    for name, messages_ in error.field_errors.items():
        parts = name.split(".")
        if len(parts) == 3 and parts[0] == "rows" and parts[1].isdigit():
            index, field = int(parts[1]), parts[2]
            if index < len(changed):
                form = changed[index]
                form.add_error(field if field in form.fields else None, list(messages_))
                placed = True
                continue
        week_form.add_error(name if name in week_form.fields else None, list(messages_))
        placed = True
    if not placed:
        week_form.add_error(None, error.message)


def _created_message(outcome) -> str:
    made, existing = len(outcome.created), len(outcome.existing)
    message = f"{made} slot{'s' if made != 1 else ''} created."
    if existing:
        message += (
            f" {existing} already existed and {'was' if existing == 1 else 'were'} left as "
            f"{'it was' if existing == 1 else 'they were'}."
        )
    return message
