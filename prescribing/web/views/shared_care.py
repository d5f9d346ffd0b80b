"""Shared care pages: the worklist (proposals awaiting the GP, and every agreement the user
is a party to), proposing one, one agreement and its actions (accept, decline, end)."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from audit.models import AuditAction
from audit.web import browser_context
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
    monitoring_entries,
)
from prescribing.web.views import shared

OBJECT_TYPE = "shared_care_agreement"


@login_required
def shared_care(request):
    """The worklist: a GP's proposals to answer first, then every agreement of theirs."""
    shared.require_prescriber(request.user)
    awaiting = list(selectors.agreements_awaiting_gp(request.user)[: shared.LIST_LIMIT])
    agreements = list(
        selectors.agreements_visible_to(request.user)
        .exclude(pk__in=[a.pk for a in awaiting])
        .order_by("-proposed_at", "-id")[: shared.LIST_LIMIT]
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
    if request.method == "POST" and all([form.is_valid(), monitoring.is_valid()]):
        data = form.cleaned_data
        with shared.service_errors_on(form, rows="monitoring"):
            agreement = agreement_propose(
                actor=request.user,
                context=browser_context(request),
                patient=data["nhs_number"],
                gp=data["gp"],
                medicine=data["medicine"],
                dmd_code=data["dmd_code"],
                monitoring=monitoring_entries(monitoring),
            )
            messages.success(request, "Shared care proposed: the GP has been asked.")
            return redirect("prescribing:shared-care-detail", agreement_id=agreement.uuid)
    return render(
        request,
        "prescribing/shared_care_new.html",
        {
            "form": form,
            "monitoring": monitoring,
            "page_has_errors": any(f.errors for f in monitoring.forms),
        },
        status=400 if request.method == "POST" else 200,
    )


AGREEMENT_ACTIONS = shared.RecordActions(
    "agreement",
    "prescribing:shared-care-detail",
    permissions.AGREEMENT_ACTIONS,
    shared.RecordAction(
        "accept",
        ConfirmForm,
        agreement_accept,
        "Shared care accepted: the consultant can now prescribe under it.",
        "Accept shared care",
        "Accept shared care",
        frozenset({AgreementStatus.PROPOSED}),
    ),
    shared.RecordAction(
        "decline",
        ReasonForm,
        agreement_decline,
        "Shared care declined: prescribing stays with the specialist.",
        "Decline shared care",
        "Decline shared care",
        frozenset({AgreementStatus.PROPOSED}),
        quiet=True,
    ),
    shared.RecordAction(
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


def _render_detail(request, agreement_id, *, bound=None, status=200):
    user = request.user
    agreement = selectors.agreement_get_for_user(user=user, agreement_uuid=agreement_id)
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
            "can_prescribe_under": agreement.status
            in (AgreementStatus.ACCEPTED, AgreementStatus.ACTIVE)
            and permissions.can_prescribe_under(user, agreement),
            "prescriptions": prescriptions,
            **AGREEMENT_ACTIONS.forms(user, agreement, bound),
        },
        status=status,
    )


@login_required
def shared_care_detail(request, agreement_id):
    return _render_detail(request, agreement_id)


@login_required
@require_POST
def shared_care_action(request, agreement_id, action):
    return AGREEMENT_ACTIONS.post(
        request,
        action,
        record_for=partial(
            selectors.agreement_for_action, user=request.user, agreement_uuid=agreement_id
        ),
        show=partial(_render_detail, request, agreement_id),
    )
