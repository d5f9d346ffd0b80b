"""Results: the worklist of what a clinician must act on, a result's page, and its actions
(acknowledge with the action taken, offer a transfer of responsibility, accept one)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from audit.models import AuditAction
from audit.web import browser_context
from core.errors import ApplicationError, ConflictError
from diagnostics import permissions, selectors
from diagnostics.services import (
    result_acknowledge,
    result_alert_due_at,
    result_transfer_accept,
    result_transfer_offer,
)
from diagnostics.web.forms import AcknowledgeForm, ConfirmForm, TransferForm, apply_service_errors
from diagnostics.web.views.shared import LIST_LIMIT, audit_shown, require_clinician
from triage.selectors import referrals_visible_to

# slug: (form, service, message on success)
RESULT_ACTIONS = {
    "acknowledge": (AcknowledgeForm, result_acknowledge, "Result acknowledged."),
    "transfer": (TransferForm, result_transfer_offer, "Transfer offered."),
    "accept-transfer": (
        ConfirmForm,
        result_transfer_accept,
        "You are now responsible for this result.",
    ),
}


def _offered(result) -> dict[str, bool]:
    """Which actions the result's state allows (who may is ``permissions.RESULT_ACTIONS``)."""
    open_ = result.acknowledged_at is None
    return {
        "acknowledge": open_,
        "transfer": open_,
        "accept-transfer": open_ and result.transfer_to_id is not None,
    }


@login_required
def results(request):
    user = request.user
    require_clinician(user)
    rows = list(selectors.results_worklist(user)[:LIST_LIMIT])
    audit_shown(request, rows, action=AuditAction.LIST, object_type="diagnostic_result")
    context = {
        "to_acknowledge": [r for r in rows if r.responsible_id == user.pk],
        "offered": [r for r in rows if r.transfer_to_id == user.pk],
        "limited": len(rows) == LIST_LIMIT,
        "limit": LIST_LIMIT,
        "can_book": permissions.can_book(user),
    }
    return render(request, "diagnostics/results.html", context)


def _render_result(request, result, *, bound=None, status=200):
    user = request.user
    offered = _offered(result)
    forms = {
        slug.replace("-", "_"): spec[0](prefix=slug)
        for slug, spec in RESULT_ACTIONS.items()
        if offered[slug] and permissions.may_act_on_result(user, result, slug)
    }
    if bound is not None:
        forms[bound[0].replace("-", "_")] = bound[1]
    audit_shown(request, [result], action=AuditAction.VIEW, object_type="diagnostic_result")
    booking = result.booking
    context = {
        "result": result,
        "booking": booking,
        "referral_visible": booking.referral_id is not None
        and referrals_visible_to(user).filter(pk=booking.referral_id).exists(),
        "alert_due_at": result_alert_due_at(result) if result.acknowledged_at is None else None,
        "forms": forms,
        "error_form": bound[1] if bound is not None else None,
    }
    return render(request, "diagnostics/result_detail.html", context, status=status)


@login_required
def result_detail(request, result_id):
    result = selectors.result_for_action(request.user, result_id)
    return _render_result(request, result)


@login_required
@require_POST
def result_action(request, result_id, action):
    spec = RESULT_ACTIONS.get(action)
    if spec is None:
        raise Http404("No such action.")
    result = selectors.result_for_action(request.user, result_id, action)
    form_class, service, message = spec
    form = form_class(request.POST, prefix=action)
    if form.is_valid():
        try:
            service(
                result=result,
                actor=request.user,
                context=browser_context(request),
                **form.cleaned_data,
            )
        except ConflictError as error:
            form.add_error(None, error.message)
            result = selectors.result_get_for_user(request.user, result.uuid)
            return _render_result(request, result, bound=(action, form), status=409)
        except ApplicationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, message)
            return redirect("diagnostics:result-detail", result_id=result.uuid)
    return _render_result(request, result, bound=(action, form), status=400)
