"""Joint budget pages: the list, setting one up, and one budget's position and breakdown.
Budgets name no patient: committee members, managers and administrators use these pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone

from audit.web import browser_context
from core.errors import ApplicationError
from directory.models import Role
from prescribing import permissions, presenters, rules, selectors
from prescribing.services.budget_alerts import alert_thresholds
from prescribing.services.budgets import budget_create
from prescribing.web.forms import BudgetForm, apply_service_errors


def _row(budget, today) -> dict:
    figures = selectors.budget_figures(budget, today=today)
    return {
        "budget": budget,
        "financial_year": rules.financial_year_label(budget.financial_year),
        "percent_spent": presenters.percent_spent(budget.amount, figures["spent"]),
        **figures,
    }


@login_required
def budgets(request):
    if not permissions.can_use_budget_pages(request.user):
        raise PermissionDenied("Budget pages serve committee members and managers.")
    today = timezone.localdate()
    found = selectors.budgets_with_totals(selectors.budgets_visible_to(request.user)).order_by(
        "-financial_year", "icb__name", "therapeutic_area", "id"
    )
    return render(
        request,
        "prescribing/budgets.html",
        {
            "rows": [_row(b, today) for b in found],
            "can_set_up": permissions.can_set_up_budgets(request.user),
            "thresholds": alert_thresholds(),
        },
    )


@login_required
def budget_new(request):
    user = request.user
    if not permissions.can_set_up_budgets(user):
        raise PermissionDenied("Budgets are set up by the ICB's managers or an administrator.")
    initial = {}
    if user.role == Role.MANAGER and user.organisation is not None:
        initial["icb"] = user.organisation.ods_code
    form = BudgetForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                budget = budget_create(
                    actor=user, context=browser_context(request), **form.cleaned_data
                )
            except ApplicationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, "Budget set up.")
                return redirect("prescribing:budget-detail", budget_id=budget.uuid)
        status = 400
    return render(request, "prescribing/budget_new.html", {"form": form}, status=status)


@login_required
def budget_detail(request, budget_id):
    budget = selectors.budget_get_for_user(user=request.user, budget_uuid=budget_id)
    today = timezone.localdate()
    breakdown = selectors.budget_breakdown(budget, today=today)
    members = [
        {
            "user": member,
            "sector": presenters.sector_label(rules.sector_of(member.organisation.kind))
            if member.organisation_id
            else "",
        }
        for member in selectors.committee_members(budget)
    ]
    return render(
        request,
        "prescribing/budget_detail.html",
        {
            "row": _row(budget, today),
            "budget": budget,
            "members": members,
            "organisations": [
                {**o, "sector_label": presenters.sector_label(o["sector"])}
                for o in breakdown["organisations"]
            ],
            "sectors": [
                {**s, "sector_label": presenters.sector_label(s["sector"])}
                for s in breakdown["sectors"]
            ],
            "thresholds": alert_thresholds(),
        },
    )
