"""What the triage pages share: page size, access checks, audit, referral table rows."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from interface.keyset import keyset_paginate
from interface.models import AuditAction
from interface.services import AuditContext, audit_record
from triage import selectors
from triage.queue_table import ROW_VALUES, table_row

PAGE_SIZE = 50
# Advice lists are short (requests awaiting a reply); a cap keeps a runaway list cheap.
ADVICE_LIST_LIMIT = 200
DEFERRED_KEY = [("contact_on", date), ("id", int)]


# Shared helpers


def require_triage_user(user) -> None:
    if not (user.is_clinician or user.is_manager):
        raise PermissionDenied("Triage is for clinicians and ICB managers.")


def require_clinician(user) -> None:
    if not user.is_clinician:
        raise PermissionDenied("Only clinicians can open this page.")


def audit(request, action: str, object_type: str, records) -> None:
    """One audit call per page: every patient whose identifiable record is shown."""
    records = list(records)
    audit_ids(
        request,
        action,
        object_type,
        patient_ids=[r.patient_id for r in records],
        object_ids=[str(r.uuid) for r in records],
    )


def audit_ids(request, action: str, object_type: str, *, patient_ids, object_ids) -> None:
    if not patient_ids:
        return
    audit_record(
        actor=request.user,
        context=AuditContext.from_request(request),
        action=action,
        object_type=object_type,
        patient_ids=patient_ids,
        object_ids=object_ids,
    )


def table_rows(request, page_rows: list[dict], *, deferred: bool = False) -> list[dict]:
    """Table rows (``triage.queue_table``) of ``ROW_VALUES`` dicts from :func:`row_page`;
    identifiable rows shown to a clinician are audited, managers get pseudonymised rows and
    no links."""
    pseudonymise = selectors.is_pseudonymised_for(request.user)
    today = timezone.localdate()
    rows = [
        table_row(values, today=today, pseudonymise=pseudonymise, deferred=deferred)
        for values in page_rows
    ]
    if not pseudonymise:
        audit_ids(
            request,
            AuditAction.LIST,
            "referral",
            patient_ids=[v["patient_id"] for v in page_rows],
            object_ids=[str(v["uuid"]) for v in page_rows],
        )
    return rows


def row_page(request, queryset, *, fields=selectors.QUEUE_KEY):
    """A keyset page from ``?cursor=`` (never OFFSET) of referral rows as plain ``ROW_VALUES``
    dicts, for :func:`table_rows`; an invalid cursor is the caller's 400."""
    return keyset_paginate(
        queryset.values(*ROW_VALUES),
        table="triage_referral",
        fields=fields,
        cursor=request.GET.get("cursor") or None,
        page_size=PAGE_SIZE,
    )
