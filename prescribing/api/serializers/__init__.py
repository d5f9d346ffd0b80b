"""Prescribing API serializers: inputs parse and look up, outputs present."""

from prescribing.api.serializers.inputs import (
    AgreementCreateInputSerializer,
    AgreementReasonInputSerializer,
    BudgetCreateInputSerializer,
    MonitoringInputSerializer,
    PrescriptionCancelInputSerializer,
    PrescriptionCreateInputSerializer,
    PrescriptionItemInputSerializer,
)
from prescribing.api.serializers.outputs import (
    AgreementOutputSerializer,
    BudgetDetailOutputSerializer,
    BudgetOutputSerializer,
    MonitoringOutputSerializer,
    PrescriptionItemOutputSerializer,
    PrescriptionOutputSerializer,
)

__all__ = [
    "AgreementCreateInputSerializer",
    "AgreementOutputSerializer",
    "AgreementReasonInputSerializer",
    "BudgetCreateInputSerializer",
    "BudgetDetailOutputSerializer",
    "BudgetOutputSerializer",
    "MonitoringInputSerializer",
    "MonitoringOutputSerializer",
    "PrescriptionCancelInputSerializer",
    "PrescriptionCreateInputSerializer",
    "PrescriptionItemInputSerializer",
    "PrescriptionItemOutputSerializer",
    "PrescriptionOutputSerializer",
]
