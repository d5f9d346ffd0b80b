"""Diagnostics writes. Views, API, admin, commands and sweeps all call these (keyword-only, with
the actor and an ``audit.services.AuditContext``); other apps reach diagnostics only through
this package and ``diagnostics.selectors``."""

from diagnostics.rules import SlotTemplateRow
from diagnostics.services.alerts import (
    ALERT_KIND,
    alert_key,
    result_alert_due_at,
    result_alerts_sweep,
)
from diagnostics.services.bookings import (
    attendance_record,
    booking_cancel,
    booking_create,
    booking_move,
)
from diagnostics.services.results import (
    RESULT_RECORDED,
    result_acknowledge,
    result_link,
    result_record,
    result_transfer_accept,
    result_transfer_offer,
    transfer_target_errors,
)
from diagnostics.services.slots import (
    TemplateOutcome,
    slot_create,
    slots_create_from_template,
    slots_template_apply,
)

__all__ = [
    "ALERT_KIND",
    "RESULT_RECORDED",
    "SlotTemplateRow",
    "TemplateOutcome",
    "alert_key",
    "attendance_record",
    "booking_cancel",
    "booking_create",
    "booking_move",
    "result_acknowledge",
    "result_alert_due_at",
    "result_alerts_sweep",
    "result_link",
    "result_record",
    "result_transfer_accept",
    "result_transfer_offer",
    "slot_create",
    "slots_create_from_template",
    "slots_template_apply",
    "transfer_target_errors",
]
