"""Contracts reads. ``access`` decides which obligations, reports and patients a user may see;
every list, page, endpoint and export goes through it. ``compliance_rows`` and
``compliance_by_week`` are the public figures other apps (the dashboards) read."""

from contracts.selectors.access import (
    breach_report_access_filter,
    contracts_patient_rule,
    is_pseudonymised_for,
    obligation_access_filter,
)
from contracts.selectors.compliance import (
    compliance_by_week,
    compliance_rows,
    compliance_scope_for,
    narrowed,
    week_start,
)
from contracts.selectors.home import due_soon_count_for, overdue_count_for
from contracts.selectors.obligations import (
    OBLIGATION_RELATED,
    may_record_for,
    obligation_for_fulfilment,
    obligation_get_for_user,
    obligations_of_patient,
    obligations_visible_to,
    patient_for_event,
)
from contracts.selectors.reports import (
    REPORT_RELATED,
    breach_report_for_edit,
    breach_report_get_for_user,
    breach_reports_visible_to,
    may_report_for,
    patient_for_report,
)
from directory.selectors import pseudonym_scope_for

__all__ = [
    "OBLIGATION_RELATED",
    "REPORT_RELATED",
    "breach_report_access_filter",
    "breach_report_for_edit",
    "breach_report_get_for_user",
    "breach_reports_visible_to",
    "compliance_by_week",
    "compliance_rows",
    "compliance_scope_for",
    "contracts_patient_rule",
    "due_soon_count_for",
    "is_pseudonymised_for",
    "may_record_for",
    "may_report_for",
    "narrowed",
    "obligation_access_filter",
    "obligation_for_fulfilment",
    "obligation_get_for_user",
    "obligations_of_patient",
    "obligations_visible_to",
    "overdue_count_for",
    "patient_for_event",
    "patient_for_report",
    "pseudonym_scope_for",
    "week_start",
]
