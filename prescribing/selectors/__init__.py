"""Prescribing reads. ``access`` decides which prescriptions and agreements a user may see;
every list, page and endpoint goes through it. Other apps (the dashboards) use
``budget_positions``."""

from prescribing.selectors.access import (
    agreement_access_q,
    prescription_access_q,
    prescription_patient_rule,
    shared_care_patient_rule,
)
from prescribing.selectors.budgets import (
    budget_access_q,
    budget_breakdown,
    budget_figures,
    budget_get_for_user,
    budget_positions,
    budgets_chargeable_by,
    budgets_visible_to,
    budgets_with_totals,
    committee_members,
)
from prescribing.selectors.prescriptions import (
    prescription_for_action,
    prescription_get_for_user,
    prescriptions_of_patient,
    prescriptions_visible_to,
)
from prescribing.selectors.reference import monitoring_test_types
from prescribing.selectors.shared_care import (
    MonitoringRow,
    agreement_for_action,
    agreement_get_for_user,
    agreements_awaiting_gp,
    agreements_of_patient,
    agreements_prescribable_by,
    agreements_visible_to,
    booking_url,
    last_bookings,
    monitoring_rows,
)

__all__ = [
    "MonitoringRow",
    "agreement_access_q",
    "agreement_for_action",
    "agreement_get_for_user",
    "agreements_awaiting_gp",
    "agreements_of_patient",
    "agreements_prescribable_by",
    "agreements_visible_to",
    "booking_url",
    "budget_access_q",
    "budget_breakdown",
    "budget_figures",
    "budget_get_for_user",
    "budget_positions",
    "budgets_chargeable_by",
    "budgets_visible_to",
    "budgets_with_totals",
    "committee_members",
    "last_bookings",
    "monitoring_rows",
    "monitoring_test_types",
    "prescription_access_q",
    "prescription_for_action",
    "prescription_get_for_user",
    "prescription_patient_rule",
    "prescriptions_of_patient",
    "prescriptions_visible_to",
    "shared_care_patient_rule",
]
