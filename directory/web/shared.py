"""What the clinical apps' pages share: the audit of the patient-identifiable records a page
shows."""

from __future__ import annotations

from audit.web import browser_context
from directory.services import patient_records_shown


def audit_shown(request, records, *, action: str, object_type: str) -> None:
    """Audit the records a page shows (``directory.services.patient_records_shown``: nothing
    for the pseudonymised rows of managers and administrators), as the browser client."""
    patient_records_shown(
        user=request.user,
        context=browser_context(request),
        records=records,
        action=action,
        object_type=object_type,
    )
