"""The queue, the deferred list and the worklists (docs/product.md §2)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from audit.models import AuditAction
from core.errors import ApplicationError
from directory.web.shared import audit_shown
from triage import selectors
from triage.filters import QueueFilterSet
from triage.selectors.backlog import backlog_headline
from triage.selectors.worklists import worklists_for
from triage.web.forms import style_filter_form
from triage.web.rows import as_of_text
from triage.web.views.shared import (
    ADVICE_LIST_LIMIT,
    DEFERRED_KEY,
    require_clinician,
    require_triage_user,
    row_page,
    table_rows,
)

# Queue and deferred list


def _export_query(request) -> str:
    """The query of the queue's "Download CSV" link: the page's filters, every row (no cursor)."""
    query = request.GET.copy()
    query.pop("cursor", None)
    query["format"] = "csv"
    return query.urlencode()


@login_required
def queue(request):
    user = request.user
    require_triage_user(user)
    filterset = QueueFilterSet(request.GET or None, queryset=selectors.queue_for_user(user))
    style_filter_form(filterset.form, panel_choices=selectors.panel_choices_for(user))
    context = {
        "filter_form": filterset.form,
        "page": None,
        "rows": [],
        "cursor_error": None,
        "headline": _queue_headline(user, filterset),
        "export_query": _export_query(request),
    }
    status = 200
    if not filterset.is_bound or filterset.is_valid():
        try:
            page = row_page(request, filterset.qs)
        except ApplicationError as error:
            context["cursor_error"] = error.message
            status = 400
        else:
            context.update(page=page, rows=table_rows(request, page.rows))
    else:
        # Not "No referrals match": nothing was searched, and the field's error says why.
        context["empty_message"] = "Correct the filters to see the queue."
    template = "triage/_queue_results.html" if request.htmx else "triage/queue.html"
    return render(request, template, context, status=status)


def _queue_headline(user, filterset) -> dict | None:
    """The queue's total from the backlog summary (never a COUNT over the queue) for the
    services the filter names, with the time it was counted; none for a user who sees no
    service's summary (a GP's queue spans every provider their patients are referred to)."""
    data = filterset.form.data if filterset.is_bound else {}
    headline = backlog_headline(
        user,
        provider_ods=str(data.get("provider") or ""),
        treatment_function=str(data.get("treatment_function") or ""),
    )
    if not headline.services:
        return None
    return {
        "total": headline.queue_total,
        "as_of": as_of_text(headline.computed_at, now=timezone.localtime()),
    }


@login_required
def deferred(request):
    user = request.user
    require_triage_user(user)
    try:
        page = row_page(request, selectors.deferred_for_user(user), fields=DEFERRED_KEY)
    except ApplicationError as error:
        return render(request, "triage/deferred.html", {"cursor_error": error.message}, status=400)
    return render(
        request,
        "triage/deferred.html",
        {"page": page, "rows": table_rows(request, page.rows, deferred=True)},
    )


# Worklists


@login_required
def worklists(request):
    require_clinician(request.user)
    counts = selectors.worklist_counts(request.user)
    items = [(w, counts[w.slug]) for w in worklists_for(request.user)]
    return render(request, "triage/worklists.html", {"worklists": items})


@login_required
def worklist_detail(request, slug):
    require_clinician(request.user)
    worklist = next((w for w in selectors.WORKLISTS if w.slug == slug), None)
    if worklist is None:
        raise Http404("No such worklist.")
    queryset = selectors.worklist_queryset(request.user, slug)
    context = {"worklist": worklist, "page": None, "rows": [], "advice_requests": None}
    if slug == "advice":
        advice = list(queryset.order_by("asked_at", "id")[:ADVICE_LIST_LIMIT])
        audit_shown(request, advice, action=AuditAction.LIST, object_type="advice_request")
        context["advice_requests"] = advice
    else:
        try:
            page = row_page(request, queryset)
        except ApplicationError as error:
            context["cursor_error"] = error.message
            return render(request, "triage/worklist_detail.html", context, status=400)
        context.update(page=page, rows=table_rows(request, page.rows))
    return render(request, "triage/worklist_detail.html", context)
