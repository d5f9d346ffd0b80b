"""Review panels: list, create, view, assign referrals, and answer an invitation to sit on one
(docs/product.md §2)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from audit.web import browser_context
from core.errors import ApplicationError
from triage import permissions, selectors
from triage.filters import QueueFilterSet
from triage.models import OPEN_Q, MembershipStatus
from triage.services.panels import (
    panel_assign_referrals,
    panel_create,
    panel_membership_accept,
    panel_membership_decline,
    sector_of,
)
from triage.web.forms import PanelForm, apply_service_errors, style_filter_form
from triage.web.views.shared import require_triage_user, row_page, table_rows


def _accepted(panel) -> list:
    """The panel's accepted seats, from the memberships ``panels_visible_to`` prefetched."""
    return [m for m in panel.memberships.all() if m.status == MembershipStatus.ACCEPTED]


@login_required
def panels(request):
    require_triage_user(request.user)
    return render(
        request,
        "triage/panels.html",
        {
            "panels": [
                {"panel": panel, "members": len(_accepted(panel))}
                for panel in selectors.panels_visible_to(request.user)
            ],
            "invitations": selectors.panel_invitations_for(request.user),
            "can_create": request.user.role in permissions.PROVIDER_ROLES,
        },
    )


def _respond(request, panel_id, service, message: str):
    membership = selectors.panel_membership_for_response(user=request.user, panel_uuid=panel_id)
    try:
        service(membership=membership, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, message.format(panel=membership.panel.name))
    return redirect("triage:panels")


@login_required
@require_POST
def panel_accept(request, panel_id):
    """The invited clinician takes their seat (404 for a panel they were not invited to)."""
    return _respond(
        request,
        panel_id,
        panel_membership_accept,
        "You now sit on {panel}: its referrals are on your worklists.",
    )


@login_required
@require_POST
def panel_decline(request, panel_id):
    """The invited clinician turns the seat down (404 for a panel they were not invited to)."""
    return _respond(request, panel_id, panel_membership_decline, "You declined a seat on {panel}.")


@login_required
def panel_new(request):
    user = request.user
    if user.role not in permissions.PROVIDER_ROLES:
        raise PermissionDenied("Only provider clinicians set up review panels.")
    form = PanelForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                panel = panel_create(
                    actor=user,
                    name=form.cleaned_data["name"],
                    provider=user.organisation,
                    treatment_function=form.cleaned_data["treatment_function"],
                    members=form.cleaned_data["members"],
                )
            except ApplicationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, f"Panel {panel.name} created.")
                return redirect("triage:panel-detail", panel_id=panel.uuid)
        status = 400
    return render(request, "triage/panel_new.html", {"form": form}, status=status)


def _assign_filterset(request, panel, data=None) -> QueueFilterSet:
    """Open referrals of the panel's provider that the user may see, narrowed by the filters."""
    queryset = selectors.referrals_visible_to(request.user).filter(
        OPEN_Q, provider_id=panel.provider_id
    )
    filterset = QueueFilterSet(data, queryset=queryset)
    style_filter_form(filterset.form, panel_choices=selectors.panel_choices_for(request.user))
    return filterset


def _render_panel(request, panel, *, filterset=None, status=200):
    user = request.user
    members = [
        {"user": m.user, "sector": sector_of(m.user), "membership": m}
        for m in panel.memberships.all()  # prefetched by panels_visible_to
    ]
    context = {"panel": panel, "members": members, "page": None, "rows": []}
    try:
        page = row_page(request, selectors.queue_for_user(user).filter(panel=panel))
    except ApplicationError as error:
        context["cursor_error"] = error.message
        status = 400
    else:
        context.update(page=page, rows=table_rows(request, page.rows))
    if permissions.can_assign_to_panel(user, panel):
        context["assign_form"] = (filterset or _assign_filterset(request, panel)).form
    context["error_form"] = filterset.form if filterset is not None else None
    return render(request, "triage/panel_detail.html", context, status=status)


@login_required
def panel_detail(request, panel_id):
    require_triage_user(request.user)
    return _render_panel(
        request, selectors.panel_get_for_user(user=request.user, panel_uuid=panel_id)
    )


@login_required
@require_POST
def panel_assign(request, panel_id):
    panel = selectors.panel_for_assignment(user=request.user, panel_uuid=panel_id)
    filterset = _assign_filterset(request, panel, request.POST)
    if filterset.is_valid():
        try:
            moved = panel_assign_referrals(
                panel=panel,
                actor=request.user,
                context=browser_context(request),
                referrals=filterset.qs,
                selected_by="filters",
            )
        except ApplicationError as error:
            apply_service_errors(filterset.form, error)
        else:
            messages.success(
                request, f"{moved} referral{'s' if moved != 1 else ''} assigned to {panel.name}."
            )
            return redirect("triage:panel-detail", panel_id=panel.uuid)
    return _render_panel(request, panel, filterset=filterset, status=400)
