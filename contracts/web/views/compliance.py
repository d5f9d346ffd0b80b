"""Compliance by provider and duty, and the trend by week (docs/product.md §5, §6). Aggregates
only: no patient is named."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse

from contracts import selectors
from contracts.filters import ComplianceFilterForm
from contracts.web.rows import labelled, trend_by_duty
from directory.web.pickers import organisation_picker


def _csv_link(name: str, request) -> str:
    query = request.GET.copy()
    query["format"] = "csv"
    return f"{reverse(name)}?{query.urlencode()}"


@login_required
def compliance(request):
    scope = selectors.compliance_scope_for(request.user)
    form = ComplianceFilterForm(request.GET or None)
    form.fields["provider"].widget = organisation_picker(kind="provider")
    form.fields["duty"].widget.attrs["class"] = "nhsuk-select"
    form.fields["weeks"].widget.attrs["class"] = "nhsuk-input nhsuk-input--width-3"
    context = {"filter_form": form, "rows": [], "trend": []}
    status = 200
    if not form.is_bound or form.is_valid():
        data = form.cleaned_data if form.is_bound else {}
        narrowed = selectors.narrowed(scope, provider_ods=data.get("provider") or "")
        duty = data.get("duty") or None
        context["rows"] = labelled(selectors.compliance_rows(duty=duty, **narrowed))
        context["trend"] = trend_by_duty(
            selectors.compliance_by_week(duty=duty, weeks=data.get("weeks"), **narrowed)
        )
        context["csv"] = _csv_link("api-contracts-compliance", request)
        context["weekly_csv"] = _csv_link("api-contracts-compliance-weekly", request)
    else:
        status = 400
    return render(request, "contracts/compliance.html", context, status=status)
