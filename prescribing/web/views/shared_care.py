"""Shared care pages: the worklist (proposals awaiting the GP, and every agreement the user
is a party to), proposing one, one agreement and its actions (accept, decline, end)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from audit.models import AuditAction
from audit.web import browser_context
from core.errors import ApplicationError, ConflictError
from directory.models import Role
from directory.web.shared import audit_shown
from prescribing import permissions, selectors
from prescribing.models import AgreementStatus
from prescribing.services.shared_care import (
    agreement_accept,
    agreement_decline,
    agreement_end,
    agreement_propose,
)
from prescribing.web.forms import (
    AgreementForm,
    ConfirmForm,
    MonitoringFormSet,
    ReasonForm,
    apply_service_errors,
    monitoring_entries,
)
from prescribing.web.views.shared import LIST_LIMIT, require_prescriber

OBJECT_TYPE = "shared_care_agreement"


@login_required
def shared_care(request):
    """The worklist: a GP's proposals to answer first, then every agreement of theirs."""
    require_prescriber(request.user)
    awaiting = list(selectors.agreements_awaiting_gp(request.user)[:LIST_LIMIT])
    agreements = list(
        selectors.agreements_visible_to(request.user)
        .exclude(pk__in=[a.pk for a in awaiting])
        .order_by("-proposed_at", "-id")[:LIST_LIMIT]
    )
    audit_shown(request, [*awaiting, *agreements], action=AuditAction.LIST, object_type=OBJECT_TYPE)
    return render(
        request,
        "prescribing/shared_care.html",
        {
            "awaiting": awaiting,
            "agreements": agreements,
            "can_propose": permissions.can_propose_shared_care(request.user),
            "is_gp": request.user.role == Role.GP,
        },
    )


@login_required
def shared_care_new(request):
    if not permissions.can_propose_shared_care(request.user):
        raise PermissionDenied("Only a consultant proposes shared care.")
    test_types = selectors.monitoring_test_types()
    initial = {"nhs_number": request.GET["nhs_number"]} if request.GET.get("nhs_number") else None
    form = AgreementForm(request.POST or None, user=request.user, initial=initial)
    monitoring = MonitoringFormSet(
        request.POST or None, prefix="monitoring", form_kwargs={"test_types": test_types}
    )
    status = 200
    if request.method == "POST":
        form_valid, monitoring_valid = form.is_valid(), monitoring.is_valid()
        if form_valid and monitoring_valid:
            data = form.cleaned_data
            try:
                agreement = agreement_propose(
                    actor=request.user,
                    context=browser_context(request),
                    patient=data["nhs_number"],
                    gp=data["gp"],
                    medicine=data["medicine"],
                    dmd_code=data["dmd_code"],
                    monitoring=monitoring_entries(monitoring),
                )
            except ApplicationError as error:
                apply_service_errors(form, error)
                if "monitoring" in error.field_errors:
                    form.add_error(None, list(error.field_errors["monitoring"]))
            else:
                messages.success(request, "Shared care proposed: the GP has been asked.")
                return redirect("prescribing:shared-care-detail", agreement_id=agreement.uuid)
        status = 400
    return render(
        request,
        "prescribing/shared_care_new.html",
        {
            "form": form,
            "monitoring": monitoring,
            "page_has_errors": any(f.errors for f in monitoring.forms),
        },
        status=status,
    )


@dataclass(frozen=True)
class AgreementAction:
    slug: str
    form_class: type
    service: object
    message: str
    title: str
    button: str
    offered_in: frozenset
    collapsed: bool = False  # behind a "details" summary, opened with its errors
    quiet: bool = False  # a secondary button


AGREEMENT_ACTIONS = {
    action.slug: action
    for action in (
        AgreementAction(
            "accept",
            ConfirmForm,
            agreement_accept,
            "Shared care accepted: the consultant can now prescribe under it.",
            "Accept shared care",
            "Accept shared care",
            frozenset({AgreementStatus.PROPOSED}),
        ),
        AgreementAction(
            "decline",
            ReasonForm,
            agreement_decline,
            "Shared care declined: prescribing stays with the specialist.",
            "Decline shared care",
            "Decline shared care",
            frozenset({AgreementStatus.PROPOSED}),
            quiet=True,
        ),
        AgreementAction(
            "end",
            ReasonForm,
            agreement_end,
            "Shared care ended.",
            "End shared care",
            "End shared care",
            frozenset({AgreementStatus.ACCEPTED, AgreementStatus.ACTIVE}),
            collapsed=True,
            quiet=True,
        ),
    )
}


def _render_detail(request, agreement, *, bound=None, status=200):
    user = request.user
    forms = {}
    for slug, action in AGREEMENT_ACTIONS.items():
        if agreement.status in action.offered_in and permissions.AGREEMENT_ACTIONS[slug](
            user, agreement
        ):
            forms[slug] = action.form_class(prefix=slug)
    if bound is not None:
        forms[bound[0]] = bound[1]
    audit_shown(request, [agreement], action=AuditAction.VIEW, object_type=OBJECT_TYPE)
    prescriptions = list(
        selectors.prescriptions_visible_to(user)
        .filter(shared_care=agreement)
        .order_by("-issued_at")
    )
    return render(
        request,
        "prescribing/shared_care_detail.html",
        {
            "agreement": agreement,
            "monitoring": selectors.monitoring_rows(agreement, user=user),
            "actions": [
                {"action": AGREEMENT_ACTIONS[slug], "form": form} for slug, form in forms.items()
            ],
            "can_prescribe_under": agreement.status
            in (AgreementStatus.ACCEPTED, AgreementStatus.ACTIVE)
            and permissions.can_prescribe_under(user, agreement),
            "prescriptions": prescriptions,
            "error_form": bound[1] if bound is not None else None,
        },
        status=status,
    )


@login_required
def shared_care_detail(request, agreement_id):
    agreement = selectors.agreement_get_for_user(user=request.user, agreement_uuid=agreement_id)
    return _render_detail(request, agreement)


@login_required
@require_POST
def shared_care_action(request, agreement_id, action):
    if action not in AGREEMENT_ACTIONS:
        raise Http404("No such action.")
    agreement = selectors.agreement_for_action(
        user=request.user, agreement_uuid=agreement_id, action=action
    )
    spec = AGREEMENT_ACTIONS[action]
    form = spec.form_class(request.POST, prefix=action)
    status = 400
    if form.is_valid():
        try:
            spec.service(
                agreement=agreement,
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
            return redirect("prescribing:shared-care-detail", agreement_id=agreement.uuid)
    agreement = selectors.agreement_get_for_user(user=request.user, agreement_uuid=agreement_id)
    return _render_detail(request, agreement, bound=(action, form), status=status)
