"""Booking a test: find free slots for a patient the clinician may see, and book one.

The search reads the query string, so other pages link here prefilled: ``nhs_number``,
``test_type`` (SNOMED CT code) and ``referral`` (its id). A slot filled by someone else a
moment before (a lost race) shows the page again with a clear message and everything typed
kept (docs/product.md §3: a booking never overfills a slot)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from audit.models import AuditAction
from audit.web import browser_context
from core.errors import ApplicationError, ConflictError
from diagnostics import selectors
from diagnostics.services import booking_create
from diagnostics.web.forms import BookingForm, BookingSearchForm, apply_service_errors
from diagnostics.web.views.shared import SLOT_LIMIT, audit_shown, require_booker
from triage.selectors import referrals_visible_to

SEARCH_FIELDS = ("nhs_number", "test_type", "referral")
FULL_SLOT = "That appointment was taken by another booking a moment ago: choose another."


def _prefill(request) -> dict:
    """Initial values from a link: a referral alone names its patient too."""
    initial = {name: request.GET[name] for name in SEARCH_FIELDS if request.GET.get(name)}
    if "referral" in initial and "nhs_number" not in initial:
        referral = (
            referrals_visible_to(request.user)
            .filter(uuid=selectors.as_uuid(initial["referral"]))
            .first()
        )
        if referral is not None:
            initial["nhs_number"] = referral.patient.nhs_number
    return initial


def _searched(request) -> bool:
    """A search was asked for (the button), or a link named both the patient and the test."""
    return "find" in request.GET or all(request.GET.get(n) for n in ("nhs_number", "test_type"))


def _free_slots(form) -> list:
    data = form.cleaned_data
    return list(
        selectors.free_slots(
            test_type=data["test_type"],
            hub=data.get("hub"),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )[: SLOT_LIMIT + 1]
    )


def _render(request, form, *, booking_form=None, status=200):
    """The page: the search, and once it names a patient and a test, their free slots and the
    booking form (bound, with its errors, after a failed booking)."""
    user = request.user
    searched = form.is_bound and form.is_valid()
    patient = form.patient if searched else None
    slots = []
    if patient is not None:
        # The patient's name, and their referrals in the form's list, are a read of their record.
        audit_shown(
            request,
            [{"patient_id": patient.pk, "uuid": patient.uuid}],
            action=AuditAction.VIEW,
            object_type="patient",
        )
        slots = _free_slots(form)
        if booking_form is None:
            booking_form = BookingForm(
                user=user,
                initial={
                    "nhs_number": form.cleaned_data["nhs_number"],
                    "referral": form.cleaned_data["referral"],
                },
            )
    shown = booking_form if patient is not None else None
    errors = shown if shown is not None and shown.errors else form
    context = {
        "form": form,
        "booking_form": shown,
        "error_form": errors if errors.is_bound else None,
        "patient": patient,
        "slots": slots[:SLOT_LIMIT],
        "more_slots": len(slots) > SLOT_LIMIT,
        "chosen_slot": str(shown.data.get("slot", "")) if shown is not None else "",
        "carried": form.carried() if form.is_bound else [],
    }
    return render(request, "diagnostics/book.html", context, status=status)


@login_required
def book(request):
    user = request.user
    require_booker(user)
    if request.method == "POST":
        return _book(request)
    if _searched(request):
        form = BookingSearchForm(request.GET, user=user)
        valid = form.is_valid()
        return _render(request, form, status=200 if valid else 400)
    return _render(request, BookingSearchForm(user=user, initial=_prefill(request)))


def _book(request):
    user = request.user
    form = BookingForm(request.POST, user=user)
    # The search part of the page, from the same fields, so it shows what was searched.
    search = BookingSearchForm(request.POST, user=user)
    search.is_valid()
    if form.is_valid():
        data = form.cleaned_data
        slot = selectors.slot_get(data["slot"])
        if slot is None:
            form.add_error("slot", "Choose an appointment.")
        else:
            try:
                booking = booking_create(
                    actor=user,
                    context=browser_context(request),
                    patient=form.patient,
                    test_type=data["test_type"],
                    slot=slot,
                    reason=data["reason"],
                    referral=data["referral"],
                )
            except ConflictError:
                form.add_error("slot", FULL_SLOT)
                return _render(request, search, booking_form=form, status=409)
            except ApplicationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, "Test booked.")
                return redirect("diagnostics:booking-detail", booking_id=booking.uuid)
    return _render(request, search, booking_form=form, status=400)
