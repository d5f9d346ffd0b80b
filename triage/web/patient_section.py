"""The "Referrals" section of the patient page: the patient's referrals the user may see."""

from __future__ import annotations

from directory.patient_sections import PatientSection
from triage import selectors


def referrals_section(user, patient) -> PatientSection | None:
    if selectors.is_pseudonymised_for(user):
        return None
    referrals = (
        selectors.referrals_visible_to(user).filter(patient=patient).order_by("-clock_start", "-id")
    )
    return PatientSection(
        title="Referrals",
        template="triage/_patient_referrals.html",
        context={"referrals": list(referrals)},
    )
