"""Diagnostics reads. ``access`` decides which bookings and results a user may see; every list,
page and endpoint goes through it. The names are gathered here for callers (other apps reach
diagnostics only through this package and ``diagnostics.services``)."""

from diagnostics.rules import DM01_STANDARD_DAYS, booking_wait_days, local_day_start
from diagnostics.selectors.access import booking_patient_rule, visible_patient_ids
from diagnostics.selectors.bookings import (
    booking_for_action,
    booking_get_for_user,
    bookings_for_patient,
    bookings_visible_to,
    hub_bookings,
)
from diagnostics.selectors.dm01 import dm01_summary
from diagnostics.selectors.ids import as_uuid
from diagnostics.selectors.results import (
    result_for_action,
    result_get_for_user,
    results_for_patient,
    results_for_referral,
    results_owned_by,
    results_visible_to,
    results_worklist,
    results_worklist_count,
)
from diagnostics.selectors.slots import (
    free_slots,
    hub_slots,
    slot_get,
    test_type_get,
    test_types,
)

__all__ = [
    "DM01_STANDARD_DAYS",
    "as_uuid",
    "booking_for_action",
    "booking_get_for_user",
    "booking_patient_rule",
    "booking_wait_days",
    "bookings_for_patient",
    "bookings_visible_to",
    "dm01_summary",
    "free_slots",
    "hub_bookings",
    "hub_slots",
    "local_day_start",
    "result_for_action",
    "result_get_for_user",
    "results_for_patient",
    "results_for_referral",
    "results_owned_by",
    "results_visible_to",
    "results_worklist",
    "results_worklist_count",
    "slot_get",
    "test_type_get",
    "test_types",
    "visible_patient_ids",
]
