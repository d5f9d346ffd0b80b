"""A result as a FHIR R4 ``DiagnosticReport`` in the UK Core profile (docs/product.md §7).

Pure functions of the result: no database access beyond the related rows already loaded
(``results_visible_to`` selects the booking, patient, test type, hub and referral).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from diagnostics.models import Result

UK_CORE_DIAGNOSTIC_REPORT = "https://fhir.hl7.org.uk/StructureDefinition/UKCore-DiagnosticReport"
UK_CORE_OBSERVATION = "https://fhir.hl7.org.uk/StructureDefinition/UKCore-Observation"
NHS_NUMBER_SYSTEM = "https://fhir.nhs.uk/Id/nhs-number"
ODS_SYSTEM = "https://fhir.nhs.uk/Id/ods-organization-code"
UBRN_SYSTEM = "https://fhir.nhs.uk/Id/UBRN"
SNOMED_CT = "http://snomed.info/sct"
DIAGNOSTIC_SERVICE_SECTION = "http://terminology.hl7.org/CodeSystem/v2-0074"
INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"

# HL7 v2 table 0074 (diagnostic service section) for each test type; OTH for anything else.
SERVICE_SECTION = {
    "26604007": ("HM", "Hematology"),
    "43396009": ("CH", "Chemistry"),
    "16254007": ("CH", "Chemistry"),
    "26958001": ("CH", "Chemistry"),
    "29303009": ("EC", "Electrocardiac (e.g., EKG, EEC, Holter)"),
    "127783003": ("PF", "Pulmonary Function"),
    "45036003": ("US", "Ultrasound"),
    "399208008": ("RAD", "Radiology"),
    "40701008": ("CUS", "Cardiac Ultrasound"),
}
OTHER_SECTION = ("OTH", "Other")

# SNOMED CT qualifier values for the report's conclusion.
ABNORMAL = {"system": SNOMED_CT, "code": "263654008", "display": "Abnormal"}
NORMAL = {"system": SNOMED_CT, "code": "17621005", "display": "Normal"}


def _organisation_reference(organisation) -> dict:
    return {
        "type": "Organization",
        "identifier": {"system": ODS_SYSTEM, "value": organisation.ods_code},
        "display": organisation.name,
    }


def _value(result: Result) -> dict:
    """A number with its unit as ``valueQuantity``; anything else as ``valueString``."""
    try:
        number = Decimal(result.value)
    except (InvalidOperation, ValueError):
        number = None
    if number is not None and number.is_finite():
        quantity: dict = {"value": float(number)}
        if result.unit:
            quantity["unit"] = result.unit
        return {"valueQuantity": quantity}
    text = f"{result.value} {result.unit}".strip()
    return {"valueString": text}


def diagnostic_report(result: Result) -> dict:
    """The result as a FHIR R4 DiagnosticReport resource (a JSON-ready dict), its value (when
    one was recorded) as a contained Observation."""
    booking = result.booking
    patient = booking.patient
    test_type = booking.test_type
    code = {
        "coding": [{"system": SNOMED_CT, "code": test_type.code, "display": test_type.name}],
        "text": test_type.name,
    }
    section, section_name = SERVICE_SECTION.get(test_type.code, OTHER_SECTION)
    subject = {
        "type": "Patient",
        "identifier": {"system": NHS_NUMBER_SYSTEM, "value": patient.nhs_number},
        "display": patient.full_name,
    }
    performed_at = (booking.attended_at or booking.slot.starts_at).isoformat()
    resource: dict = {
        "resourceType": "DiagnosticReport",
        "id": str(result.uuid),
        "meta": {"profile": [UK_CORE_DIAGNOSTIC_REPORT]},
        "identifier": [{"system": "urn:ietf:rfc:3986", "value": f"urn:uuid:{result.uuid}"}],
        "status": "final",
        "category": [
            {
                "coding": [
                    {
                        "system": DIAGNOSTIC_SERVICE_SECTION,
                        "code": section,
                        "display": section_name,
                    }
                ]
            }
        ],
        "code": code,
        "subject": subject,
        "effectiveDateTime": performed_at,
        "issued": result.reported_at.isoformat(),
        "performer": [_organisation_reference(booking.slot.hub)],
        "conclusion": result.summary,
        "conclusionCode": [{"coding": [ABNORMAL if result.abnormal else NORMAL]}],
    }
    if booking.referral_id and booking.referral.ubrn:
        resource["basedOn"] = [
            {
                "type": "ServiceRequest",
                "identifier": {"system": UBRN_SYSTEM, "value": booking.referral.ubrn},
            }
        ]
    if result.value:
        resource["contained"] = [
            {
                "resourceType": "Observation",
                "id": "value",
                "meta": {"profile": [UK_CORE_OBSERVATION]},
                "status": "final",
                "code": code,
                "subject": subject,
                "effectiveDateTime": performed_at,
                "issued": result.reported_at.isoformat(),
                **_value(result),
                "interpretation": [
                    {
                        "coding": [
                            {
                                "system": INTERPRETATION,
                                "code": "A" if result.abnormal else "N",
                                "display": "Abnormal" if result.abnormal else "Normal",
                            }
                        ]
                    }
                ],
            }
        ]
        resource["result"] = [{"reference": "#value"}]
    return resource
