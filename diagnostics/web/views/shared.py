"""What the diagnostics pages share: who may open them, and the audit of what they show."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from diagnostics import permissions
from directory.web.shared import audit_shown as directory_audit_shown

# Lists on a page are short (a day at a hub, one clinician's requests); a cap keeps a runaway
# list cheap, and the page says when it is reached.
LIST_LIMIT = 100
# Free slots offered at once: the search narrows by hub and date when there are more.
SLOT_LIMIT = 40


def require_clinician(user) -> None:
    """Diagnostics pages show patients: clinicians only (managers see DM01 on the dashboards)."""
    if not user.is_clinician:
        raise PermissionDenied("Only clinicians can open diagnostics pages.")


def require_booker(user) -> None:
    if not permissions.can_book(user):
        raise PermissionDenied("Only GPs, consultants and community clinicians book tests.")


def is_hub_user(user) -> bool:
    return permissions.is_hub_staff(user, user.organisation_id)


def audit_shown(request, records, *, action: str, object_type: str) -> None:
    """Audit the records a page shows, as the browser client. ``records`` are bookings or
    results (or ``{"patient_id", "uuid"}`` dicts): one event per record, naming its patient."""
    rows = [
        {
            "patient_id": getattr(r, "patient_id", None) or r.booking.patient_id,
            "uuid": r.uuid,
        }
        if not isinstance(r, dict)
        else r
        for r in records
    ]
    directory_audit_shown(request, rows, action=action, object_type=object_type)


def slot_started(slot) -> bool:
    """Attendance and a result are recorded only once the slot has started (docs/product.md §3)."""
    return slot.starts_at <= timezone.now()
