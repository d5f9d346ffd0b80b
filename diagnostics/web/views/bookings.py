"""A booking's page and its actions: move, cancel, attendance (or DNA), result."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from audit.models import AuditAction
from audit.web import browser_context
from core.errors import ApplicationError, ConflictError
from diagnostics import permissions, selectors
from diagnostics.models import BookingStatus
from diagnostics.services import (
    attendance_record,
    booking_cancel,
    booking_move,
    result_record,
)
from diagnostics.web.forms import (
    AttendanceForm,
    ConfirmForm,
    MoveForm,
    ResultForm,
    apply_service_errors,
)
from diagnostics.web.views.shared import SLOT_LIMIT, audit_shown, slot_started
from triage.selectors import referrals_visible_to


def _has_result(booking) -> bool:
    return hasattr(booking, "result")


def _move(*, booking, actor, context, slot):
    new_slot = selectors.slot_get(slot)
    if new_slot is None:
        message = "Choose a new appointment."
        raise ApplicationError(message, field_errors={"slot": [message]})
    return booking_move(actor=actor, context=context, booking=booking, slot=new_slot)


def _result(*, booking, actor, context, reported_on=None, reported_time=None, **data):
    return result_record(actor=actor, context=context, booking=booking, **data)


@dataclass(frozen=True)
class BookingAction:
    """An action on the booking page: the form, the service it calls, the message on success,
    and when it is offered (``offered(booking)``). Who may post it is
    ``diagnostics.permissions.BOOKING_ACTIONS``, applied by ``booking_for_action``."""

    slug: str
    form_class: type
    service: Callable
    message: str
    offered: Callable

    def perform(self, request, booking, data: dict):
        return self.service(
            booking=booking, actor=request.user, context=browser_context(request), **data
        )


def _booked_and_future(booking) -> bool:
    return booking.status == BookingStatus.BOOKED and not slot_started(booking.slot)


BOOKING_ACTIONS = {
    action.slug: action
    for action in (
        BookingAction("move", MoveForm, _move, "Booking moved.", _booked_and_future),
        BookingAction(
            "cancel", ConfirmForm, booking_cancel, "Booking cancelled.", _booked_and_future
        ),
        BookingAction(
            "attendance",
            AttendanceForm,
            attendance_record,
            "Attendance recorded.",
            lambda b: b.status == BookingStatus.BOOKED and slot_started(b.slot),
        ),
        BookingAction(
            "result",
            ResultForm,
            _result,
            "Result recorded.",
            # A result may be recorded straight after the appointment starts: the service marks
            # a test still booked as attended.
            lambda b: (
                b.status in (BookingStatus.BOOKED, BookingStatus.ATTENDED)
                and slot_started(b.slot)
                and not _has_result(b)
            ),
        ),
    )
}


def _render_booking(request, booking, *, bound=None, status=200):
    user = request.user
    forms = {
        slug.replace("-", "_"): action.form_class(prefix=slug)
        for slug, action in BOOKING_ACTIONS.items()
        if permissions.may_act_on_booking(user, booking, slug) and action.offered(booking)
    }
    if bound is not None:
        forms[bound[0].replace("-", "_")] = bound[1]
    move_slots = []
    if "move" in forms:
        move_slots = [
            s
            for s in selectors.free_slots(test_type=booking.test_type)[: SLOT_LIMIT + 1]
            if s.pk != booking.slot_id
        ][:SLOT_LIMIT]
    audit_shown(request, [booking], action=AuditAction.VIEW, object_type="diagnostic_booking")
    referral_visible = booking.referral_id is not None and (
        referrals_visible_to(user).filter(pk=booking.referral_id).exists()
    )
    context = {
        "booking": booking,
        "result": booking.result if _has_result(booking) else None,
        "started": slot_started(booking.slot),
        "referral_visible": referral_visible,
        "wait_days": selectors.booking_wait_days(booking, timezone.localdate()),
        "forms": forms,
        "move_slots": move_slots,
        "chosen_slot": str(bound[1].data.get("move-slot", "")) if bound else "",
        "error_form": bound[1] if bound is not None else None,
    }
    return render(request, "diagnostics/booking_detail.html", context, status=status)


@login_required
def booking_detail(request, booking_id):
    booking = selectors.booking_for_action(request.user, booking_id)
    return _render_booking(request, booking)


@login_required
@require_POST
def booking_action(request, booking_id, action):
    spec = BOOKING_ACTIONS.get(action)
    if spec is None:
        raise Http404("No such action.")
    booking = selectors.booking_for_action(request.user, booking_id, action)
    form = spec.form_class(request.POST, prefix=action)
    if form.is_valid():
        try:
            spec.perform(request, booking, form.cleaned_data)
        except ConflictError as error:
            # Someone changed the booking or filled the slot first: show it as it is now.
            form.add_error("slot" if "slot" in form.fields else None, error.message)
            booking = selectors.booking_get_for_user(request.user, booking.uuid)
            return _render_booking(request, booking, bound=(action, form), status=409)
        except ApplicationError as error:
            apply_service_errors(form, error, renamed={"reported_at": "reported_on"})
        else:
            messages.success(request, spec.message)
            return redirect("diagnostics:booking-detail", booking_id=booking.uuid)
    return _render_booking(request, booking, bound=(action, form), status=400)
