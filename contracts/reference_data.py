"""The NHS Standard Contract clause behind each duty (docs/contracts.md).

The numbers are those of the full-length Service Conditions as published for 2019/20 onwards
(SC8: onward referral; SC11: transfer of and discharge from care), taken from a published
summary of the Service Conditions; we could not check them against the 2025/26 text. NHS
England renumbers clauses from one edition to the next, so each letter names the edition and
the GP should check the number against the contract in force before sending it. Where we could
not confirm a sub-clause, the Service Condition alone is cited.
"""

from __future__ import annotations

from dataclasses import dataclass

CONTRACT_EDITION = "NHS Standard Contract, Service Conditions (2019/20 edition numbering)"


@dataclass(frozen=True)
class Clause:
    reference: str  # "SC11.5"
    requirement: str  # what the provider must do, in a sentence


CLAUSES: dict[str, Clause] = {
    "discharge_summary": Clause(
        "SC11.5",
        "send a discharge summary to the patient's GP within 24 hours of every discharge from "
        "inpatient, day case or A&E care",
    ),
    "clinic_letter": Clause(
        "SC11.7",
        "send a clinic letter to the GP within 7 days of an outpatient attendance where there "
        "is information the GP must act on",
    ),
    "result_to_patient": Clause(
        "SC11",
        "communicate the results of the tests and investigations it carries out to the "
        "patient itself, rather than ask the GP to do so",
    ),
    "discharge_medication": Clause(
        "SC11.9",
        "supply at least 7 days of the medication the patient needs on discharge, unless a "
        "shorter period is clinically appropriate",
    ),
    "fit_note": Clause(
        "SC11",
        "issue a fit note to a patient who needs one at discharge or after an outpatient "
        "attendance, covering the period until they are expected to be fit for work or "
        "reviewed again, rather than send them to the GP for it",
    ),
    "rereferral_after_dna": Clause(
        "SC8",
        "rebook a patient who did not attend an appointment, following its access policy, "
        "rather than discharge them and ask the GP to refer again",
    ),
    "onward_referral": Clause(
        "SC8.4",
        "make an onward referral itself where it is for the condition the patient was referred "
        "for or is immediately needed, rather than ask the GP to make it",
    ),
    "prescribing_transfer": Clause(
        "SC11.10",
        "supply the medication the patient needs after an outpatient attendance until the GP "
        "has the clinic letter, rather than ask the GP to prescribe it",
    ),
    "shared_care_without_agreement": Clause(
        "SC11.4",
        "transfer prescribing or monitoring to the GP under a shared care protocol only once "
        "the GP has agreed to share the patient's care",
    ),
}
