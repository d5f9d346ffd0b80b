"""Prescribing's records in the access matrix's scenario: a pharmacy, a joint budget of the
ICB whose committee is the scenario's GP, consultant and community clinician, a prescription
the consultant issued to the patient, and two shared care agreements between the consultant
and the patient's GP: one proposed, one accepted."""

from __future__ import annotations

from prescribing.models import AgreementStatus
from tests.prescribing.factories import (
    AgreementFactory,
    BudgetFactory,
    PharmacyFactory,
    PrescriptionFactory,
)


def extend(scenario) -> None:
    users = scenario.users
    pharmacy = PharmacyFactory(icb=scenario.icb, name=f"{scenario.label.title()} Matrix Pharmacy")
    budget = BudgetFactory(
        icb=scenario.icb,
        therapeutic_area=f"{scenario.label.title()} matrix respiratory",
        committee=[users["gp"], users["consultant"], users["community_clinician"]],
    )
    prescription = PrescriptionFactory(
        patient=scenario.patient,
        prescriber=users["consultant"],
        pharmacy=pharmacy,
        budget=budget,
    )
    proposal = AgreementFactory(
        patient=scenario.patient, consultant=users["consultant"], gp=users["gp"]
    )
    accepted = AgreementFactory(
        patient=scenario.patient,
        consultant=users["consultant"],
        gp=users["gp"],
        status=AgreementStatus.ACCEPTED,
        medicine="Ciclosporin 25mg capsules",
    )
    scenario.extra.update(
        {
            "prescribing_pharmacy": pharmacy,
            "prescribing_budget": budget,
            "prescribing_prescription": prescription,
            "prescribing_proposal": proposal,
            "prescribing_accepted": accepted,
        }
    )
    # Budgets name no patient (administrators see every ICB's): only the patient's records here.
    scenario.extra_identifiers |= {
        str(prescription.uuid),
        *(str(item.uuid) for item in prescription.items.all()),
        str(proposal.uuid),
        str(accepted.uuid),
    }
