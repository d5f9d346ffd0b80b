"""Prescribing API (docs/product.md §7): budgets, prescriptions and shared care. Each view reads
through ``prescribing.selectors`` and writes through ``prescribing.services``, so the browser
and the API apply the same access rules; every patient-identifiable read is audited here."""

from prescribing.api.views.budgets import BudgetDetailApi, BudgetListCreateApi
from prescribing.api.views.prescriptions import (
    PrescriptionCancelApi,
    PrescriptionDetailApi,
    PrescriptionDispenseApi,
    PrescriptionFhirApi,
    PrescriptionListCreateApi,
)
from prescribing.api.views.shared_care import (
    AgreementAcceptApi,
    AgreementDeclineApi,
    AgreementDetailApi,
    AgreementEndApi,
    AgreementListCreateApi,
)

__all__ = [
    "AgreementAcceptApi",
    "AgreementDeclineApi",
    "AgreementDetailApi",
    "AgreementEndApi",
    "AgreementListCreateApi",
    "BudgetDetailApi",
    "BudgetListCreateApi",
    "PrescriptionCancelApi",
    "PrescriptionDetailApi",
    "PrescriptionDispenseApi",
    "PrescriptionFhirApi",
    "PrescriptionListCreateApi",
]
