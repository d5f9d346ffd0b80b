"""A prescription as FHIR R4 ``MedicationRequest`` resources in the UK Core profile
(docs/product.md §7; the NHS EPS FHIR API shapes a prescription the same way).

FHIR has one medication per ``MedicationRequest``, so a prescription of one item is one
``MedicationRequest``, and a prescription of several items is a ``Bundle`` (type
``collection``) of one ``MedicationRequest`` per item, all sharing the prescription's
``groupIdentifier``: no item is ever left out. Pure functions of the prescription: no database
access beyond the related rows the selector loads."""

from __future__ import annotations

from prescribing.models import Prescription, PrescriptionItem, PrescriptionStatus
from prescribing.rules import SECTOR_BY_KIND, Sector

UK_CORE_MEDICATION_REQUEST = "https://fhir.hl7.org.uk/StructureDefinition/UKCore-MedicationRequest"
NHS_NUMBER_SYSTEM = "https://fhir.nhs.uk/Id/nhs-number"
ODS_SYSTEM = "https://fhir.nhs.uk/Id/ods-organization-code"
# EPS: the long-form prescription id (a UUID), and each line item's id.
PRESCRIPTION_SYSTEM = "https://fhir.nhs.uk/Id/prescription"
ITEM_SYSTEM = "https://fhir.nhs.uk/Id/prescription-order-item-number"
DMD_SYSTEM = "https://dmd.nhs.uk"
CATEGORY_SYSTEM = "http://terminology.hl7.org/CodeSystem/medicationrequest-category"
UCUM = "http://unitsofmeasure.org"
COURSE_SYSTEM = "http://terminology.hl7.org/CodeSystem/medicationrequest-course-of-therapy"

# FHIR medicationrequest-status.
FHIR_STATUS = {
    PrescriptionStatus.ISSUED: "active",
    PrescriptionStatus.DISPENSED: "completed",
    PrescriptionStatus.CANCELLED: "cancelled",
}


def _organisation(organisation) -> dict:
    return {
        "type": "Organization",
        "identifier": {"system": ODS_SYSTEM, "value": organisation.ods_code},
        "display": organisation.name,
    }


def _category(prescription: Prescription) -> dict:
    """Discharge, community (primary and community care) or outpatient (secondary care)."""
    if prescription.discharge:
        code, display = "discharge", "Discharge"
    elif SECTOR_BY_KIND.get(prescription.prescriber_organisation.kind) == Sector.SECONDARY:
        code, display = "outpatient", "Outpatient"
    else:
        code, display = "community", "Community"
    return {"coding": [{"system": CATEGORY_SYSTEM, "code": code, "display": display}]}


def _course(prescription: Prescription) -> dict:
    """Shared care is long-term treatment; anything else is treated as a short course."""
    if prescription.shared_care_id:
        return {
            "system": COURSE_SYSTEM,
            "code": "continuous",
            "display": "Continuous long term therapy",
        }
    return {"system": COURSE_SYSTEM, "code": "acute", "display": "Short course (acute) therapy"}


def _medication(item: PrescriptionItem) -> dict:
    if item.dmd_code:
        return {
            "coding": [{"system": DMD_SYSTEM, "code": item.dmd_code, "display": item.medicine}],
            "text": item.medicine,
        }
    return {"text": item.medicine}


def medication_request(prescription: Prescription, item: PrescriptionItem, *, single: bool) -> dict:
    """One item of the prescription as a MedicationRequest (a JSON-ready dict)."""
    patient = prescription.patient
    resource = {
        "resourceType": "MedicationRequest",
        "id": str(prescription.uuid) if single else str(item.uuid),
        "meta": {"profile": [UK_CORE_MEDICATION_REQUEST]},
        "identifier": [{"system": ITEM_SYSTEM, "value": str(item.uuid)}],
        "groupIdentifier": {"system": PRESCRIPTION_SYSTEM, "value": str(prescription.uuid)},
        "status": FHIR_STATUS[prescription.status],
        "intent": "order",
        "category": [_category(prescription)],
        "medicationCodeableConcept": _medication(item),
        "subject": {
            "type": "Patient",
            "identifier": {"system": NHS_NUMBER_SYSTEM, "value": patient.nhs_number},
            "display": patient.full_name,
        },
        "authoredOn": prescription.issued_at.isoformat(),
        "requester": {
            "type": "Practitioner",
            "display": f"{prescription.prescriber.display_name}, "
            f"{prescription.prescriber_organisation.name}",
        },
        "dispenseRequest": {
            "quantity": {"value": item.quantity},
            "expectedSupplyDuration": {
                "value": item.days_supply,
                "unit": "day",
                "system": UCUM,
                "code": "d",
            },
            "performer": _organisation(prescription.pharmacy),
        },
        "courseOfTherapyType": {"coding": [_course(prescription)]},
    }
    if prescription.short_supply_reason:
        resource["note"] = [{"text": prescription.short_supply_reason}]
    return resource


def prescription_resource(prescription: Prescription) -> dict:
    """A MedicationRequest for a prescription of one item; a Bundle of them for several."""
    items = list(prescription.items.all())
    if len(items) == 1:
        return medication_request(prescription, items[0], single=True)
    return {
        "resourceType": "Bundle",
        "id": str(prescription.uuid),
        "type": "collection",
        "entry": [
            {
                "fullUrl": f"urn:uuid:{item.uuid}",
                "resource": medication_request(prescription, item, single=False),
            }
            for item in items
        ],
    }
