"""The audit search for privacy officers: events by patient, by user and by date."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from audit.models import AuditAction
from audit.permissions import can_search_audit
from audit.selectors import audit_events_page, audit_events_search
from audit.services import audit_record
from audit.web import browser_context
from audit.web.forms import AuditSearchForm

SEARCH_FIELDS = ("nhs_number", "username", "date_from", "date_to")


@login_required
def audit_events(request):
    if not can_search_audit(request.user):
        # A page, not a record: its existence is no secret, so 403 rather than 404.
        raise PermissionDenied("The audit trail is for privacy officers (the admin role).")
    # Bound even when empty: no criteria show the newest events.
    form = AuditSearchForm(request.GET)
    page = None
    if form.is_valid():
        data = form.cleaned_data
        criteria = {name: data[name] for name in SEARCH_FIELDS if data[name]}
        page = audit_events_page(
            audit_events_search(**criteria), before=data["before"], after=data["after"]
        )
        _audit_patients_shown(request, page.events, criteria)
    return render(request, "audit/events.html", {"form": form, "page": page})


def _audit_patients_shown(request, events, criteria: dict) -> None:
    """docs/product.md §1: reading the trail is a read of patient data too, audited as one
    "list" event per patient the page names (however many of their events it shows)."""
    patient_ids = list(dict.fromkeys(e.patient_id for e in events if e.patient_id is not None))
    search = "; ".join(f"{name}={value}" for name, value in criteria.items())
    audit_record(
        actor=request.user,
        context=browser_context(request),
        action=AuditAction.LIST,
        object_type="audit_event",
        patient_ids=patient_ids,
        detail=f"audit search {search}".strip(),
    )
