"""The contracts pages."""

from contracts.web.views.compliance import compliance
from contracts.web.views.events import attendance_new, discharge_new
from contracts.web.views.obligations import (
    obligation_detail,
    obligation_fulfil_view,
    obligation_list,
)
from contracts.web.views.reports import (
    breach_report_detail,
    breach_report_download,
    breach_report_letter,
    breach_report_list,
    breach_report_new,
    breach_report_print,
)

__all__ = [
    "attendance_new",
    "breach_report_detail",
    "breach_report_download",
    "breach_report_letter",
    "breach_report_list",
    "breach_report_new",
    "breach_report_print",
    "compliance",
    "discharge_new",
    "obligation_detail",
    "obligation_fulfil_view",
    "obligation_list",
]
