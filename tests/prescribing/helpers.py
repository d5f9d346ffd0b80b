"""What prescribing's tests share: a patient with their GP, a consultant who may see them (a
referral to the consultant's trust), a pharmacy and a budget of the patient's ICB."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from audit.services import COMMAND_CONTEXT
from directory.models import Organisation, Patient, User
from prescribing.models import Budget
from tests.factories import ConsultantFactory, GPFactory, IcbFactory, PatientFactory
from tests.prescribing.factories import BudgetFactory, PharmacyFactory
from tests.triage.factories import ReferralFactory

CONTEXT = COMMAND_CONTEXT


@dataclass
class Setting:
    icb: Organisation
    patient: Patient
    gp: User
    consultant: User
    pharmacy: Organisation
    budget: Budget


def setting(*, amount: str = "10000.00") -> Setting:
    icb = IcbFactory()
    patient = PatientFactory(registered_practice__icb=icb)
    gp = GPFactory(organisation=patient.registered_practice)
    consultant = ConsultantFactory(organisation__icb=icb)
    ReferralFactory(patient=patient, provider=consultant.organisation)
    return Setting(
        icb=icb,
        patient=patient,
        gp=gp,
        consultant=consultant,
        pharmacy=PharmacyFactory(icb=icb),
        budget=BudgetFactory(icb=icb, amount=Decimal(amount)),
    )


def item(**overrides) -> dict:
    return {
        "medicine": "Amoxicillin 500mg capsules",
        "dmd_code": "39732311000001104",
        "quantity": 21,
        "days_supply": 14,
        "cost": Decimal("4.20"),
        **overrides,
    }
