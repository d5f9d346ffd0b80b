"""What the triage pages share: page size, access checks, audit, referral table rows."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from audit.models import AuditAction
from core.keyset import keyset_paginate
from directory.web.shared import audit_shown
from triage import selectors
from triage.web.rows import ROW_VALUES, table_row

PAGE_SIZE = 50
# Advice lists are short (requests awaiting a reply); a cap keeps a runaway list cheap.
ADVICE_LIST_LIMIT = 200
DEFERRED_KEY = [("contact_on", date), ("id", int)]


def require_triage_user(user) -> None:
    if not (user.is_clinician or user.is_manager):
        raise PermissionDenied("Triage is for clinicians and ICB managers.")


def require_clinician(user) -> None:
    if not user.is_clinician:
        raise PermissionDenied("Only clinicians can open this page.")


def table_rows(request, page_rows: list[dict], *, deferred: bool = False) -> list[dict]:
    """Table rows (``triage.queue_table``) of ``ROW_VALUES`` dicts from :func:`row_page`;
    identifiable rows shown to a clinician are audited, managers get pseudonymised rows and
    no links."""
    scope = selectors.pseudonym_scope_for(request.user)
    today = timezone.localdate()
    rows = [
        table_row(values, today=today, pseudonym_scope=scope, deferred=deferred)
        for values in page_rows
    ]
    if scope is None:
        audit_shown(request, page_rows, action=AuditAction.LIST, object_type="referral")
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
