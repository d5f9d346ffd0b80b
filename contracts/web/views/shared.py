"""What the contracts pages share: audit, paging, and rows as the browser shows them."""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from rest_framework.request import Request

from audit.models import AuditAction
from contracts import presenters, selectors
from contracts.models import Duty, ObligationStatus
from core.api import CursorPagination
from directory.web.shared import audit_shown

PAGE_SIZE = 50


class NewestDueFirst(CursorPagination):
    page_size = PAGE_SIZE
    ordering = ("-due_at", "-id")


class NewestFirst(CursorPagination):
    page_size = PAGE_SIZE
    ordering = ("-created_at", "-id")


def paged(request, queryset, pagination_class) -> tuple[list, dict]:
    """A cursor page of ``queryset`` (the API's own pagination: ``?cursor=``, never OFFSET) and
    its links; an invalid cursor is ApplicationError, the caller's 400."""
    paginator = pagination_class()
    page = list(paginator.paginate_queryset(queryset, Request(request)))
    return page, {"next": paginator.get_next_link(), "previous": paginator.get_previous_link()}


STATUS_TAGS = {
    ObligationStatus.OPEN: "nhsuk-tag--blue",
    ObligationStatus.MET: "nhsuk-tag--green",
    ObligationStatus.MET_LATE: "nhsuk-tag--yellow",
    ObligationStatus.OVERDUE: "nhsuk-tag--red",
}


def obligation_rows(request, obligations, *, action: str = AuditAction.LIST) -> list[dict]:
    """Rows of the obligations shown, with display labels; audited for clinicians, and
    pseudonymised (without links to records) for managers."""
    audit_shown(request, obligations, action=action, object_type="obligation")
    scope = selectors.pseudonym_scope_for(request.user)
    now = timezone.now()
    rows = []
    for obligation in obligations:
        row = presenters.obligation_row(obligation, now=now, pseudonym_scope=scope)
        row.update(
            duty_label=Duty(row["duty"]).label,
            status_label=ObligationStatus(row["status"]).label,
            status_tag=STATUS_TAGS[row["status"]],
            provider_name=obligation.provider.name,
            patient_uuid=obligation.patient.uuid if scope is None else None,
            linked=scope is None,
        )
        rows.append(row)
    return rows


def identifiable_only(request) -> None:
    """Record pages are for clinicians: a manager sees pseudonymised rows, never a record
    (404, as for any record they may not see)."""
    if selectors.is_pseudonymised_for(request.user):
        raise Http404("No such record.")
