"""The contracts app's models, one module a subject (docs/product.md §5)."""

from contracts.models.events import Attendance, Discharge, DischargeKind, FitNote
from contracts.models.obligations import (
    BREACH_DUTIES,
    BREACH_DUTY_CHOICES,
    FULFILLED_STATUSES,
    OBLIGATION_DUTIES,
    OBLIGATION_DUTY_CHOICES,
    Duty,
    Obligation,
    ObligationStatus,
    status_q,
)
from contracts.models.reports import BreachReport

__all__ = [
    "BREACH_DUTIES",
    "BREACH_DUTY_CHOICES",
    "FULFILLED_STATUSES",
    "OBLIGATION_DUTIES",
    "OBLIGATION_DUTY_CHOICES",
    "Attendance",
    "BreachReport",
    "Discharge",
    "DischargeKind",
    "Duty",
    "FitNote",
    "Obligation",
    "ObligationStatus",
    "status_q",
]
