"""The relationship a new referral must start from (docs/product.md §1).

A referral gives its provider, and its creator, lasting sight of the patient, so it may start
only from a relationship that is the patient's own, never from sight through a panel or another
referral. ``referral_create`` applies it; Advice & Guidance requests apply the registered-practice
half of it through ``triage.permissions.can_refer_patient``.
"""

from __future__ import annotations

from directory.models import Organisation, Patient, User
from triage import permissions
from triage.models import AdviceDirection, AdviceRequest, Referral


def referral_relationship_errors(
    *,
    actor: User | None,
    patient: Patient,
    referring_practice: Organisation,
    provider: Organisation,
    redirected_from: Referral | None,
    from_advice: AdviceRequest | None,
) -> dict[str, list[str]]:
    """Field errors unless the referral starts from the patient's own relationship.

    A referral gives its provider, and its creator, lasting sight of the patient, so sight
    through a panel or another referral is never enough to make one (docs/product.md §1). The
    three ways in: the patient's registered practice refers; the provider's reviewers make an
    onward referral of the referral they review (``referral_redirect``); or the specialist
    service asked for Advice & Guidance converts the request (``advice_convert_to_referral``).
    """
    if redirected_from is not None:
        if redirected_from.patient_id == patient.pk and (
            actor is None or permissions.can_review(actor, redirected_from)
        ):
            return {}
        return {
            "nhs_number": [
                "An onward referral is made by the referral's reviewers, for its own patient."
            ]
        }
    if from_advice is not None:
        if (
            from_advice.direction == AdviceDirection.TO_SPECIALIST
            and from_advice.patient_id == patient.pk
            and from_advice.provider_id == provider.pk
            and (actor is None or permissions.can_convert_advice(actor, from_advice))
        ):
            return {}
        return {
            "nhs_number": [
                "Only the specialist service asked converts an Advice & Guidance request, for "
                "its own patient."
            ]
        }
    errors: dict[str, list[str]] = {}
    if not permissions.is_registered_practice_of(referring_practice, patient):
        errors["nhs_number"] = [
            f"The patient is not registered at {referring_practice.ods_code}: only the "
            "patient's registered practice refers them."
        ]
    if actor is not None and actor.organisation_id != referring_practice.pk:
        errors["referring_practice"] = ["You refer from your own practice only."]
    return errors
