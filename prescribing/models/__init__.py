"""Prescribing's models, one module a subject; imported here so Django and callers find them."""

from prescribing.models.budgets import FIRST_FINANCIAL_YEAR, LAST_FINANCIAL_YEAR, Budget
from prescribing.models.prescriptions import Prescription, PrescriptionItem, PrescriptionStatus
from prescribing.models.shared_care import AgreementStatus, MonitoringTest, SharedCareAgreement

__all__ = [
    "FIRST_FINANCIAL_YEAR",
    "LAST_FINANCIAL_YEAR",
    "AgreementStatus",
    "Budget",
    "MonitoringTest",
    "Prescription",
    "PrescriptionItem",
    "PrescriptionStatus",
    "SharedCareAgreement",
]
