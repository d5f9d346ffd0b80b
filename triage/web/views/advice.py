"""Advice & Guidance and advice requests between GPs and specialists (docs/product.md §2)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from audit.models import AuditAction
from audit.web import browser_context
from core.errors import ApplicationError
from directory.web.shared import audit_shown
from triage import permissions, selectors
from triage.models import AdviceDirection, AdviceStatus
from triage.services.advice import (
    advice_convert_to_referral,
    advice_guidance_request,
    advice_reply,
)
from triage.web.forms import (
    AdviceConvertForm,
    AdviceGuidanceForm,
    AdviceReplyForm,
    apply_service_errors,
)
from triage.web.views.shared import ADVICE_LIST_LIMIT, require_clinician


@login_required
def advice_list(request):
    require_clinician(request.user)
    advice = list(
        selectors.advice_visible_to(request.user).order_by("-asked_at", "-id")[:ADVICE_LIST_LIMIT]
    )
    audit_shown(request, advice, action=AuditAction.LIST, object_type="advice_request")
    return render(
        request,
        "triage/advice_list.html",
        {"advice_requests": advice, "can_ask": permissions.can_refer(request.user)},
    )


ADVICE_ACTIONS = {
    "reply": (AdviceReplyForm, advice_reply, "Answer sent."),
    "convert": (AdviceConvertForm, advice_convert_to_referral, "Converted to a referral."),
}
# Who may post each action: anyone else who may see the request gets 403 (docs/product.md §7).
ADVICE_PERMISSIONS = {
    "reply": permissions.can_reply_to_advice,
    "convert": permissions.can_convert_advice,
}


def _render_advice(request, advice, *, bound=None, status=200):
    user = request.user
    may_answer = permissions.can_reply_to_advice(user, advice)
    offered = {
        "reply": may_answer and advice.status == AdviceStatus.AWAITING_REPLY,
        "convert": may_answer
        and advice.direction == AdviceDirection.TO_SPECIALIST
        and advice.status in (AdviceStatus.AWAITING_REPLY, AdviceStatus.ANSWERED),
    }
    forms = {slug: spec[0]() for slug, spec in ADVICE_ACTIONS.items() if offered[slug]}
    if bound is not None:
        forms[bound[0]] = bound[1]
    audit_shown(request, [advice], action=AuditAction.VIEW, object_type="advice_request")
    context = {
        "advice": advice,
        "reply_form": forms.get("reply"),
        "convert_form": forms.get("convert"),
        "error_form": bound[1] if bound is not None else None,
    }
    return render(request, "triage/advice_detail.html", context, status=status)


@login_required
def advice_detail(request, advice_id):
    advice = selectors.advice_get_for_user(user=request.user, advice_uuid=advice_id)
    return _render_advice(request, advice)


@login_required
@require_POST
def advice_action(request, advice_id, action):
    """A GP answers a consultant (back to review), or a specialist answers or converts an
    Advice & Guidance request to a referral."""
    advice = selectors.advice_get_for_user(user=request.user, advice_uuid=advice_id)
    if action not in ADVICE_ACTIONS:
        raise Http404("No such action.")
    if not ADVICE_PERMISSIONS[action](request.user, advice):
        raise PermissionDenied("Only the clinicians asked can answer or convert this request.")
    form_class, service, message = ADVICE_ACTIONS[action]
    form = form_class(request.POST)
    if form.is_valid():
        try:
            result = service(
                advice=advice,
                actor=request.user,
                context=browser_context(request),
                **form.cleaned_data,
            )
        except ApplicationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, message)
            if action == "convert":
                return redirect("triage:referral-detail", referral_id=result.uuid)
            return redirect("triage:advice-detail", advice_id=advice.uuid)
    return _render_advice(request, advice, bound=(action, form), status=400)


@login_required
def advice_new(request):
    if not permissions.can_refer(request.user):
        raise PermissionDenied("Only GPs ask for Advice & Guidance.")
    form = AdviceGuidanceForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                advice = advice_guidance_request(
                    actor=request.user,
                    context=browser_context(request),
                    patient=data["nhs_number"],
                    provider=data["provider"],
                    treatment_function=data["treatment_function"],
                    question=data["question"],
                )
            except ApplicationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, "Your question has been sent to the specialist.")
                return redirect("triage:advice-detail", advice_id=advice.uuid)
        status = 400
    return render(request, "triage/advice_new.html", {"form": form}, status=status)
