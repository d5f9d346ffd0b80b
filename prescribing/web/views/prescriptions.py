"""Prescription pages: the list, issuing one (with its items), one prescription and its
actions (dispense, cancel)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from audit.models import AuditAction
from audit.web import browser_context
from core.errors import ApplicationError, ConflictError
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
    apply_service_errors,
)
from prescribing.web.views.shared import LIST_LIMIT, require_prescriber

OBJECT_TYPE = "prescription"


@login_required
def prescriptions(request):
    require_prescriber(request.user)
    filterset = PrescriptionFilterSet(
        request.GET, queryset=selectors.prescriptions_visible_to(request.user)
    )
    found = (
        list(filterset.qs.order_by("-issued_at", "-id")[:LIST_LIMIT])
        if filterset.is_valid()
        else []
    )
    audit_shown(request, found, action=AuditAction.LIST, object_type=OBJECT_TYPE)
    return render(
        request,
        "prescribing/prescriptions.html",
        {"prescriptions": found, "filter_form": filterset.form, "limit": LIST_LIMIT},
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
    require_prescriber(request.user)
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
    status = 200
    if request.method == "POST":
        forms_valid = form.is_valid()
        items_valid = items.is_valid()
        if forms_valid and items_valid:
            data = form.cleaned_data
            try:
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
            except ConflictError as error:
                form.add_error(None, error.message)
            except ApplicationError as error:
                apply_service_errors(form, error)
                if "items" in error.field_errors:
                    form.add_error(None, list(error.field_errors["items"]))
            else:
                messages.success(request, "Prescription issued to the pharmacy.")
                return redirect(
                    "prescribing:prescription-detail", prescription_id=prescription.uuid
                )
        status = 400
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
        status=status,
    )


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class PrescriptionAction:
    slug: str
    form_class: type
    service: object
    message: str
    title: str
    button: str
    collapsed: bool = False  # behind a "details" summary, opened with its errors
    quiet: bool = False  # a secondary button


PRESCRIPTION_ACTIONS = {
    action.slug: action
    for action in (
        PrescriptionAction(
            "dispense",
            ConfirmForm,
            prescription_dispense,
            "Dispensing recorded: the cost is now spent.",
            "Record dispensing",
            "Record that the pharmacy dispensed it",
        ),
        PrescriptionAction(
            "cancel",
            CancelForm,
            prescription_cancel,
            "Prescription cancelled.",
            "Cancel the prescription",
            "Cancel prescription",
            collapsed=True,
            quiet=True,
        ),
    )
}


def _render_detail(request, prescription, *, bound=None, status=200):
    forms = {}
    if prescription.status == PrescriptionStatus.ISSUED:
        for slug, action in PRESCRIPTION_ACTIONS.items():
            if permissions.PRESCRIPTION_ACTIONS[slug](request.user, prescription):
                forms[slug] = action.form_class(prefix=slug)
    if bound is not None:
        forms[bound[0]] = bound[1]
    audit_shown(request, [prescription], action=AuditAction.VIEW, object_type=OBJECT_TYPE)
    actions = [{"action": PRESCRIPTION_ACTIONS[slug], "form": form} for slug, form in forms.items()]
    return render(
        request,
        "prescribing/prescription_detail.html",
        {
            "prescription": prescription,
            "items": list(prescription.items.all()),
            "actions": actions,
            "error_form": bound[1] if bound is not None else None,
        },
        status=status,
    )


@login_required
def prescription_detail(request, prescription_id):
    prescription = selectors.prescription_get_for_user(
        user=request.user, prescription_uuid=prescription_id
    )
    return _render_detail(request, prescription)


@login_required
@require_POST
def prescription_action(request, prescription_id, action):
    if action not in PRESCRIPTION_ACTIONS:
        raise Http404("No such action.")
    prescription = selectors.prescription_for_action(
        user=request.user, prescription_uuid=prescription_id, action=action
    )
    spec = PRESCRIPTION_ACTIONS[action]
    form = spec.form_class(request.POST, prefix=action)
    status = 400
    if form.is_valid():
        try:
            spec.service(
                prescription=prescription,
                actor=request.user,
                context=browser_context(request),
                **form.cleaned_data,
            )
        except ConflictError as error:
            form.add_error(None, error.message)
            status = 409
        except ApplicationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, spec.message)
            return redirect("prescribing:prescription-detail", prescription_id=prescription.uuid)
    prescription = selectors.prescription_get_for_user(
        user=request.user, prescription_uuid=prescription_id
    )
    return _render_detail(request, prescription, bound=(action, form), status=status)
