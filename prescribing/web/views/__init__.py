"""Prescribing pages (docs/product.md §4): budgets, prescriptions and shared care."""

from prescribing.web.views.budgets import budget_detail, budget_new, budgets
from prescribing.web.views.prescriptions import (
    PRESCRIPTION_ACTIONS,
    prescription_action,
    prescription_detail,
    prescription_new,
    prescriptions,
)
from prescribing.web.views.shared_care import (
    AGREEMENT_ACTIONS,
    shared_care,
    shared_care_action,
    shared_care_detail,
    shared_care_new,
)

__all__ = [
    "AGREEMENT_ACTIONS",
    "PRESCRIPTION_ACTIONS",
    "budget_detail",
    "budget_new",
    "budgets",
    "prescription_action",
    "prescription_detail",
    "prescription_new",
    "prescriptions",
    "shared_care",
    "shared_care_action",
    "shared_care_detail",
    "shared_care_new",
]
