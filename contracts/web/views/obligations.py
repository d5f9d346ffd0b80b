"""Obligations: the list, one obligation, and recording what fulfils it (docs/product.md §5)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from audit.models import AuditAction
from audit.web import browser_context
from contracts import permissions, selectors
from contracts.filters import ObligationFilterSet
from contracts.models import OBLIGATION_DUTY_CHOICES, ObligationStatus
from contracts.services.obligations import obligation_fulfil
from contracts.web.forms import FulfilForm, apply_service_errors
from contracts.web.views.shared import NewestDueFirst, identifiable_only, obligation_rows, paged
from core.errors import ApplicationError, ConflictError
from directory.web.pickers import organisation_picker


def _style(form, *, pseudonymised: bool) -> None:
    form.fields["provider"].widget = organisation_picker(kind="provider")
    form.fields["duty"].choices = [("", "Any"), *OBLIGATION_DUTY_CHOICES]
    form.fields["status"].choices = [("", "Any"), *ObligationStatus.choices]
    for name in ("duty", "status"):
        form.fields[name].widget.attrs["class"] = "nhsuk-select"
    form.fields["nhs_number"].widget.attrs["class"] = "nhsuk-input nhsuk-input--width-10"
    if pseudonymised:
        del form.fields["nhs_number"]


@login_required
def obligation_list(request):
    user = request.user
    if not permissions.can_use_obligations(user):
        raise PermissionDenied("Contract obligations are for clinicians and ICB managers.")
    filterset = ObligationFilterSet(
        request.GET or None, queryset=selectors.obligations_visible_to(user), request=request
    )
    pseudonymised = selectors.is_pseudonymised_for(user)
    _style(filterset.form, pseudonymised=pseudonymised)
    context = {"filter_form": filterset.form, "rows": [], "links": {}, "error": None}
    status = 200
    if not filterset.is_bound or filterset.is_valid():
        try:
            page, context["links"] = paged(request, filterset.qs, NewestDueFirst)
        except ApplicationError as error:
            context["error"] = error.message
            status = 400
        else:
            context["rows"] = obligation_rows(request, page)
    else:
        status = 400
    context["pseudonymised"] = pseudonymised
    return render(request, "contracts/obligation_list.html", context, status=status)


def _render_detail(request, obligation, *, form=None, status=200):
    user = request.user
    may_fulfil = permissions.can_fulfil(user, obligation) and obligation.fulfilled_at is None
    rows = obligation_rows(request, [obligation], action=AuditAction.VIEW)
    context = {
        "obligation": obligation,
        "row": rows[0],
        "form": form if form is not None else (FulfilForm() if may_fulfil else None),
        "error_form": form,
    }
    return render(request, "contracts/obligation_detail.html", context, status=status)


@login_required
def obligation_detail(request, obligation_id):
    identifiable_only(request)
    obligation = selectors.obligation_get_for_user(user=request.user, obligation_uuid=obligation_id)
    return _render_detail(request, obligation)


@login_required
@require_POST
def obligation_fulfil_view(request, obligation_id):
    identifiable_only(request)
    obligation = selectors.obligation_for_fulfilment(
        user=request.user, obligation_uuid=obligation_id
    )
    form = FulfilForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            obligation = obligation_fulfil(
                obligation=obligation,
                actor=request.user,
                context=browser_context(request),
                at=form.cleaned_data["at"],
                note=form.cleaned_data["note"],
            )
        except ApplicationError as error:
            apply_service_errors(form, error)
            status = 409 if isinstance(error, ConflictError) else 400
        else:
            label = ObligationStatus(obligation.status).label.lower()
            messages.success(request, f"Recorded: the obligation is {label}.")
            return redirect("contracts:obligation-detail", obligation_id=obligation.uuid)
    return _render_detail(request, obligation, form=form, status=status)
