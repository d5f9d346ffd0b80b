"""What the diagnostics API views share beyond ``core.api`` and ``directory.api.shared``: the
audit of a booking or a result served, which names the patient through the booking."""

from __future__ import annotations

from audit.models import AuditAction
from diagnostics.models import Booking
from directory.api import shared


def _patient_id(record) -> int:
    return record.patient_id if isinstance(record, Booking) else record.booking.patient_id


def audit_read(request, records, *, action: str) -> None:
    """One audit event per booking or result served, naming its patient (managers and
    administrators are never served either)."""
    records = list(records)
    if not records:
        return
    object_type = "diagnostic_booking" if isinstance(records[0], Booking) else "diagnostic_result"
    shared.audit_read(
        request,
        [{"patient_id": _patient_id(r), "uuid": r.uuid} for r in records],
        action=action,
        object_type=object_type,
    )


class AuditedListMixin(shared.AuditedListMixin):
    """Audits each page of bookings or results as it is served (action "list")."""

    def audit_page(self, page) -> None:
        audit_read(self.request, page or [], action=AuditAction.LIST)
