"""What the dashboard pages share: the scope from the filters, the filter choices, the
drill-down links and the CSV of a page's tables."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.urls import reverse

from dashboards import selectors
from dashboards.permissions import can_drill_down_to_rows
from dashboards.selectors import Scope


def page_scope(request, form_class):
    """(scope, form): the form bound to the query; with errors (shown on the page, answered
    400) the figures are left unfiltered until they are corrected. 403 for anyone who may not
    open the page."""
    base = selectors.dashboard_scope_for(request.user)
    form = form_class(request.GET or None)
    _choices(form, base)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        scope = selectors.dashboard_scope_for(
            request.user,
            provider=data.get("provider", ""),
            treatment_function=data.get("treatment_function", ""),
        )
        return scope, form
    return base, form


def _choices(form, base: Scope) -> None:
    """Selects of the providers and treatment functions the user's figures cover."""
    providers = [("", "All providers")] + [
        (r["provider"], f"{r['provider_name']} ({r['provider']})")
        for r in sorted(selectors.backlog_by_provider(base), key=lambda r: r["provider_name"])
    ]
    functions = [("", "All treatment functions")] + [
        (r["treatment_function"], f"{r['treatment_function']} {r['treatment_function_name']}")
        for r in sorted(
            selectors.backlog_by_treatment_function(base), key=lambda r: r["treatment_function"]
        )
    ]
    form.fields["provider"].widget = forms.Select(
        choices=providers, attrs={"class": "nhsuk-select"}
    )
    form.fields["treatment_function"].widget = forms.Select(
        choices=functions, attrs={"class": "nhsuk-select"}
    )
    for name, field in form.fields.items():
        if name in ("provider", "treatment_function"):
            continue
        field.widget.attrs.setdefault("class", "nhsuk-input nhsuk-input--width-10")


def drill_down(user, **filters) -> str | None:
    """The pseudonymised queue behind a figure (triage's queue page, filtered), for a manager;
    for an administrator, who sees figures only, the dashboard narrowed to the same filters."""
    query = {k: v for k, v in filters.items() if v not in (None, "")}
    if can_drill_down_to_rows(user):
        return f"{reverse('triage:queue')}?{urlencode(query)}"
    narrowed = {k: v for k, v in query.items() if k in ("provider", "treatment_function")}
    if not narrowed:
        return None
    return f"{reverse('dashboards:overview')}?{urlencode(narrowed)}"


def filter_query(scope: Scope) -> dict:
    return {
        k: v
        for k, v in (("provider", scope.provider), ("treatment_function", scope.treatment_function))
        if v
    }


def csv_query(request, table: str) -> str:
    """The page's query with ``format=csv&table=…``: the download of one of its tables."""
    query = request.GET.copy()
    query["format"] = "csv"
    query["table"] = table
    return query.urlencode()
