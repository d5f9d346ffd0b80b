"""A referral as a FHIR R4 ServiceRequest (UK Core): the mapping and GET …/fhir/."""

from datetime import date

import pytest

from audit.models import AuditEvent
from tests.factories import ConsultantFactory, GPFactory, ManagerFactory, TrustFactory
from tests.helpers import api_client_for
from tests.triage.factories import ReferralFactory
from triage.api import fhir
from triage.models import Status

pytestmark = pytest.mark.django_db


def fhir_get(user, referral):
    return api_client_for(user).get(f"/api/v1/referrals/{referral.uuid}/fhir/")


def test_service_request_claims_the_uk_core_profile():
    resource = fhir.service_request(ReferralFactory())
    assert (resource["resourceType"], resource["meta"]["profile"]) == (
        "ServiceRequest",
        ["https://fhir.hl7.org.uk/StructureDefinition/UKCore-ServiceRequest"],
    )


def test_ubrn_is_the_business_identifier():
    referral = ReferralFactory(ubrn="123456789012")
    assert fhir.service_request(referral)["identifier"] == [
        {"system": "https://fhir.nhs.uk/Id/UBRN", "value": "123456789012"}
    ]


def test_subject_is_identified_by_nhs_number():
    referral = ReferralFactory()
    subject = fhir.service_request(referral)["subject"]
    assert subject["identifier"] == {
        "system": "https://fhir.nhs.uk/Id/nhs-number",
        "value": referral.patient.nhs_number,
    }


def test_requester_is_the_referring_practice_and_performer_the_provider_by_ods_code():
    referral = ReferralFactory()
    resource = fhir.service_request(referral)
    ods = "https://fhir.nhs.uk/Id/ods-organization-code"
    assert (resource["requester"]["identifier"], resource["performer"][0]["identifier"]) == (
        {"system": ods, "value": referral.referring_practice.ods_code},
        {"system": ods, "value": referral.provider.ods_code},
    )


@pytest.mark.parametrize(
    ("priority", "expected"),
    [("routine", "routine"), ("urgent", "urgent"), ("two_week_wait", "asap")],
)
def test_priority_maps_to_fhir_request_priority(priority, expected):
    assert fhir.service_request(ReferralFactory(priority=priority))["priority"] == expected


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("awaiting_review", "active"),
        ("under_review", "active"),
        ("advice_requested", "active"),
        ("accepted", "active"),
        ("booked", "active"),
        ("treated", "completed"),
        ("discharged", "completed"),
        ("cancelled", "revoked"),
        ("returned_to_referrer", "revoked"),
        ("redirected", "revoked"),
    ],
)
def test_status_maps_to_fhir_request_status(status, expected):
    assert fhir.service_request(ReferralFactory(status=status))["status"] == expected


def test_authored_on_is_the_clock_start():
    referral = ReferralFactory(clock_start=date(2024, 2, 29))
    assert fhir.service_request(referral)["authoredOn"] == "2024-02-29"


def test_every_status_has_a_fhir_status():
    assert set(fhir.FHIR_STATUS) == set(Status.values)


def test_api_serves_application_fhir_json():
    referral = ReferralFactory()
    response = fhir_get(ConsultantFactory(organisation=referral.provider), referral)
    assert (response.status_code, response["Content-Type"], response.json()["id"]) == (
        200,
        "application/fhir+json",
        str(referral.uuid),
    )


def test_api_read_is_audited():
    referral = ReferralFactory()
    consultant = ConsultantFactory(organisation=referral.provider)
    fhir_get(consultant, referral)
    event = AuditEvent.objects.get()
    assert (event.user, event.patient, event.object_id) == (
        consultant,
        referral.patient,
        str(referral.uuid),
    )


def test_api_is_404_without_a_relationship():
    referral = ReferralFactory()
    assert fhir_get(GPFactory(), referral).status_code == 404


def test_api_is_404_for_a_manager_and_audited_only_as_refused():
    trust = TrustFactory()
    referral = ReferralFactory(provider=trust)
    response = fhir_get(ManagerFactory(organisation=trust.icb), referral)
    assert response.status_code == 404
    assert list(AuditEvent.objects.values_list("action", "patient")) == [("refused", None)]
