"""Prescription pages: the list, issuing one (with its items), one prescription and its
actions (dispense, cancel)."""

from __future__ import annotations

import uuid
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from audit.models import AuditAction
from audit.web import browser_context
from core.errors import ApplicationError
from directory.web.shared import audit_shown
from prescribing import permissions, rules, selectors
from prescribing.filters import PrescriptionFilterSet
from prescribing.models import PrescriptionStatus
from prescribing.services.prescriptions import (
    prescription_cancel,
    prescription_dispense,
    prescription_issue,
)
from prescribing.web.forms import (
    CancelForm,
    ConfirmForm,
    ItemFormSet,
    PrescriptionForm,
)
from prescribing.web.views import shared

OBJECT_TYPE = "prescription"


@login_required
def prescriptions(request):
    shared.require_prescriber(request.user)
    filterset = PrescriptionFilterSet(
        request.GET, queryset=selectors.prescriptions_visible_to(request.user)
    )
    found = (
        list(filterset.qs.order_by("-issued_at", "-id")[: shared.LIST_LIMIT])
        if filterset.is_valid()
        else []
    )
    audit_shown(request, found, action=AuditAction.LIST, object_type=OBJECT_TYPE)
    return render(
        request,
        "prescribing/prescriptions.html",
        {"prescriptions": found, "filter_form": filterset.form, "limit": shared.LIST_LIMIT},
        status=200 if filterset.is_valid() else 400,
    )


def _agreement_from(request, value):
    if not value:
        return None
    agreement = selectors.agreements_visible_to(request.user).filter(uuid=value).first()
    if agreement is None:
        raise ApplicationError(
            "No shared care agreement of yours has this id.",
            field_errors={"shared_care": ["No shared care agreement of yours has this id."]},
        )
    return agreement


@login_required
def prescription_new(request):
    """Issue a prescription. ``?nhs_number=`` and ``?shared_care=`` fill in the patient and the
    agreement (from the patient's page or the agreement's)."""
    shared.require_prescriber(request.user)
    budgets = selectors.budgets_chargeable_by(user=request.user).order_by(
        "icb__name", "therapeutic_area", "id"
    )
    initial = {k: request.GET[k] for k in ("nhs_number", "shared_care") if request.GET.get(k)}
    agreement = None
    if initial.get("shared_care"):
        agreement = (
            selectors.agreements_prescribable_by(user=request.user)
            .filter(uuid__in=[initial["shared_care"]] if _is_uuid(initial["shared_care"]) else [])
            .first()
        )
        if agreement is not None:
            initial.setdefault("nhs_number", agreement.patient.nhs_number)
    form = PrescriptionForm(
        request.POST or None, user=request.user, budgets=budgets, initial=initial
    )
    items = ItemFormSet(request.POST or None, prefix="items")
    if agreement is not None and not request.POST:
        items = ItemFormSet(
            prefix="items",
            initial=[{"medicine": agreement.medicine, "dmd_code": agreement.dmd_code}],
        )
    if request.method == "POST" and all([form.is_valid(), items.is_valid()]):
        data = form.cleaned_data
        with shared.service_errors_on(form, rows="items"):
            prescription = prescription_issue(
                actor=request.user,
                context=browser_context(request),
                patient=data["nhs_number"],
                pharmacy=data["pharmacy"],
                budget=data["budget"],
                items=items.items(),
                discharge=data["discharge"],
                short_supply_reason=data["short_supply_reason"],
                shared_care=_agreement_from(request, data.get("shared_care")),
            )
            messages.success(request, "Prescription issued to the pharmacy.")
            return redirect("prescribing:prescription-detail", prescription_id=prescription.uuid)
    return render(
        request,
        "prescribing/prescription_new.html",
        {
            "form": form,
            "items": items,
            "agreement": agreement,
            "page_has_errors": bool(items.non_form_errors() or any(f.errors for f in items.forms)),
            "min_days": rules.DISCHARGE_MIN_DAYS,
        },
        status=400 if request.method == "POST" else 200,
    )


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


PRESCRIPTION_ACTIONS = shared.RecordActions(
    "prescription",
    "prescribing:prescription-detail",
    permissions.PRESCRIPTION_ACTIONS,
    shared.RecordAction(
        "dispense",
        ConfirmForm,
        prescription_dispense,
        "Dispensing recorded: the cost is now spent.",
        "Record dispensing",
        "Record that the pharmacy dispensed it",
        frozenset({PrescriptionStatus.ISSUED}),
    ),
    shared.RecordAction(
        "cancel",
        CancelForm,
        prescription_cancel,
        "Prescription cancelled.",
        "Cancel the prescription",
        "Cancel prescription",
        frozenset({PrescriptionStatus.ISSUED}),
        collapsed=True,
        quiet=True,
    ),
)


def _render_detail(request, prescription_id, *, bound=None, status=200):
    prescription = selectors.prescription_get_for_user(
        user=request.user, prescription_uuid=prescription_id
    )
    audit_shown(request, [prescription], action=AuditAction.VIEW, object_type=OBJECT_TYPE)
    return render(
        request,
        "prescribing/prescription_detail.html",
        {
            "prescription": prescription,
            "items": list(prescription.items.all()),
            **PRESCRIPTION_ACTIONS.forms(request.user, prescription, bound),
        },
        status=status,
    )


@login_required
def prescription_detail(request, prescription_id):
    return _render_detail(request, prescription_id)


@login_required
@require_POST
def prescription_action(request, prescription_id, action):
    return PRESCRIPTION_ACTIONS.post(
        request,
        action,
        record_for=partial(
            selectors.prescription_for_action, user=request.user, prescription_uuid=prescription_id
        ),
        show=partial(_render_detail, request, prescription_id),
    )
