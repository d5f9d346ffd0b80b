"""A referral as a FHIR R4 ``ServiceRequest`` in the UK Core profile (docs/product.md §7).

Pure functions of the referral: no database access beyond the related rows already loaded
(``referrals_visible_to`` selects patient, provider, referring practice and treatment function).
"""

from __future__ import annotations

from triage.models import Priority, Referral, Status

UK_CORE_SERVICE_REQUEST = "https://fhir.hl7.org.uk/StructureDefinition/UKCore-ServiceRequest"
UBRN_SYSTEM = "https://fhir.nhs.uk/Id/UBRN"
NHS_NUMBER_SYSTEM = "https://fhir.nhs.uk/Id/nhs-number"
ODS_SYSTEM = "https://fhir.nhs.uk/Id/ods-organization-code"
SNOMED_CT = "http://snomed.info/sct"
# SNOMED CT 3457005 |Patient referral (procedure)|: the usual ServiceRequest.category of a referral.
REFERRAL_CATEGORY = {"system": SNOMED_CT, "code": "3457005", "display": "Patient referral"}

# FHIR request-priority: routine | urgent | asap | stat. A suspected-cancer (two-week wait)
# referral is to be seen as soon as possible, ahead of other urgent ones.
FHIR_PRIORITY = {
    Priority.ROUTINE: "routine",
    Priority.URGENT: "urgent",
    Priority.TWO_WEEK_WAIT: "asap",
}

# FHIR request-status: draft | active | on-hold | revoked | completed | entered-in-error | unknown.
FHIR_STATUS = {
    Status.AWAITING_REVIEW: "active",
    Status.UNDER_REVIEW: "active",
    Status.ADVICE_REQUESTED: "active",
    Status.ACCEPTED: "active",
    Status.BOOKED: "active",
    Status.TREATED: "completed",
    Status.DISCHARGED: "completed",
    Status.CANCELLED: "revoked",
    Status.RETURNED_TO_REFERRER: "revoked",
    Status.REDIRECTED: "revoked",
}


def _organisation_reference(organisation) -> dict:
    return {
        "type": "Organization",
        "identifier": {"system": ODS_SYSTEM, "value": organisation.ods_code},
        "display": organisation.name,
    }


def _identifiers(referral: Referral) -> list[dict]:
    if referral.ubrn:
        return [{"system": UBRN_SYSTEM, "value": referral.ubrn}]
    # No UBRN: the other system's id, without a system we could vouch for.
    return [{"value": referral.external_id}]


def service_request(referral: Referral) -> dict:
    """The referral as a FHIR R4 ServiceRequest resource (a JSON-ready dict)."""
    patient = referral.patient
    treatment_function = referral.treatment_function
    resource = {
        "resourceType": "ServiceRequest",
        "id": str(referral.uuid),
        "meta": {"profile": [UK_CORE_SERVICE_REQUEST]},
        "identifier": _identifiers(referral),
        "status": FHIR_STATUS[referral.status],
        "intent": "order",
        "category": [{"coding": [REFERRAL_CATEGORY]}],
        "priority": FHIR_PRIORITY[referral.priority],
        "code": {"text": f"{treatment_function.code} {treatment_function.name}"},
        "subject": {
            "type": "Patient",
            "identifier": {"system": NHS_NUMBER_SYSTEM, "value": patient.nhs_number},
            "display": patient.full_name,
        },
        # RTT: the clock starts when the referral is made (or converted, or restarted).
        "authoredOn": referral.clock_start.isoformat(),
        "requester": _organisation_reference(referral.referring_practice),
        "performer": [_organisation_reference(referral.provider)],
    }
    if referral.appointment_on:
        resource["occurrenceDateTime"] = referral.appointment_on.isoformat()
    if referral.reason:
        resource["reasonCode"] = [{"text": referral.reason}]
    return resource
