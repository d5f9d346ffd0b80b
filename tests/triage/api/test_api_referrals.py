"""/api/v1/referrals/: list, create, retrieve, and the pathway actions on one referral."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from audit.models import AuditEvent
from directory.models import Patient
from tests.factories import (
    CommunityClinicianFactory,
    ConsultantFactory,
    GPFactory,
    ManagerFactory,
    PatientFactory,
    TrustFactory,
)
from tests.helpers import api_client_for
from tests.triage.factories import ReferralFactory, ReviewPanelFactory
from triage.models import HarmReview, Referral

pytestmark = pytest.mark.django_db
URL = "/api/v1/referrals/"


def today():
    return timezone.localdate()


def action(user, referral, name, body=None):
    return api_client_for(user).post(f"{URL}{referral.uuid}/{name}/", body or {}, format="json")


def provider_consultant(referral):
    return ConsultantFactory(organisation=referral.provider)


@pytest.fixture
def gp():
    return GPFactory()


@pytest.fixture
def new_referral(gp):
    patient = PatientFactory(registered_practice=gp.organisation)
    return {
        "nhs_number": f"{patient.nhs_number[:3]} {patient.nhs_number[3:6]} {patient.nhs_number[6:]}",
        "ubrn": "123456789012",
        "provider": TrustFactory().ods_code,
        "treatment_function": "110",
        "priority": "urgent",
        "clock_start": today().isoformat(),
        "reason": "Locking of the left knee after a twisting injury.",
    }


# List


def test_list_shows_the_referrals_of_the_gps_practice_newest_first(gp):
    older = ReferralFactory(patient=PatientFactory(registered_practice=gp.organisation))
    newer = ReferralFactory(patient=PatientFactory(registered_practice=gp.organisation))
    ReferralFactory()
    body = api_client_for(gp).get(URL).json()
    assert [r["id"] for r in body["results"]] == [str(newer.uuid), str(older.uuid)]


def test_list_is_cursor_paginated(gp):
    ReferralFactory.create_batch(3, patient=PatientFactory(registered_practice=gp.organisation))
    client = api_client_for(gp)
    first = client.get(URL, {"page_size": 2}).json()
    second = client.get(first["next"]).json()
    assert (len(first["results"]), len(second["results"]), second["next"]) == (2, 1, None)


def test_list_is_pseudonymised_for_managers():
    trust = TrustFactory()
    ReferralFactory(provider=trust)
    (row,) = api_client_for(ManagerFactory(organisation=trust.icb)).get(URL).json()["results"]
    assert (row["nhs_number"], row["date_of_birth"], row["reason"]) == (None, None, None)
    assert row["patient_name"].startswith("PSN-")


def test_list_audits_each_referral_served(gp):
    referrals = ReferralFactory.create_batch(
        2, patient=PatientFactory(registered_practice=gp.organisation)
    )
    api_client_for(gp).get(URL)
    assert sorted(
        AuditEvent.objects.filter(action="list", object_type="referral").values_list(
            "object_id", flat=True
        )
    ) == sorted(str(r.uuid) for r in referrals)


def test_list_refuses_an_unauthenticated_request():
    assert APIClient().get(URL).status_code in (401, 403)


# Create


def test_gp_refers_a_patient_of_their_practice(gp, new_referral):
    response = api_client_for(gp).post(URL, new_referral, format="json")
    assert response.status_code == 201, response.content
    referral = Referral.objects.get(uuid=response.json()["id"])
    assert (
        referral.referring_practice,
        referral.referring_clinician,
        referral.status,
        referral.effective_category,
    ) == (gp.organisation, gp, "awaiting_review", "P2")


def test_created_referral_comes_back_with_its_history(gp, new_referral):
    body = api_client_for(gp).post(URL, new_referral, format="json").json()
    assert [event["kind"] for event in body["history"]] == ["created", "clock"]


def test_referral_may_carry_an_external_id_instead_of_a_ubrn(gp, new_referral):
    new_referral.update(ubrn="", external_id="PTL-0042")
    response = api_client_for(gp).post(URL, new_referral, format="json")
    assert (response.status_code, response.json()["external_id"]) == (201, "PTL-0042")


def test_gp_cannot_refer_a_patient_registered_elsewhere(gp, new_referral):
    elsewhere = PatientFactory()
    new_referral["nhs_number"] = elsewhere.nhs_number
    response = api_client_for(gp).post(URL, new_referral, format="json")
    assert (response.status_code, list(response.json())) == (400, ["nhs_number"])
    assert not Referral.objects.exists()


def test_bad_nhs_number_check_digit_names_the_field(gp, new_referral):
    new_referral["nhs_number"] = "9434765918"
    response = api_client_for(gp).post(URL, new_referral, format="json")
    assert (response.status_code, "nhs_number" in response.json()) == (400, True)
    assert not Referral.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("provider", "XXX99"),
        ("treatment_function", "999"),
        ("priority", "soon"),
        ("clock_start", "not-a-date"),
        ("ubrn", "12345"),
    ],
)
def test_bad_input_names_the_field_and_creates_nothing(gp, new_referral, field, value):
    new_referral[field] = value
    response = api_client_for(gp).post(URL, new_referral, format="json")
    assert (response.status_code, field in response.json()) == (400, True)
    assert not Referral.objects.exists()


def test_clock_start_in_the_future_names_the_field(gp, new_referral):
    new_referral["clock_start"] = (today() + timedelta(days=1)).isoformat()
    response = api_client_for(gp).post(URL, new_referral, format="json")
    assert (response.status_code, "clock_start" in response.json()) == (400, True)
    assert not Referral.objects.exists()


def test_duplicate_ubrn_names_the_field(gp, new_referral):
    ReferralFactory(ubrn=new_referral["ubrn"])
    response = api_client_for(gp).post(URL, new_referral, format="json")
    assert (response.status_code, "ubrn" in response.json()) == (400, True)
    assert Referral.objects.count() == 1


def test_provider_that_is_a_gp_practice_names_the_field(gp, new_referral):
    new_referral["provider"] = gp.organisation.ods_code
    response = api_client_for(gp).post(URL, new_referral, format="json")
    assert (response.status_code, "provider" in response.json()) == (400, True)


def test_only_a_gp_may_refer(new_referral):
    response = api_client_for(ConsultantFactory()).post(URL, new_referral, format="json")
    assert response.status_code == 403
    assert not Referral.objects.exists()


# Retrieve


def test_retrieve_shows_history_and_reviews():
    referral = ReferralFactory()
    body = api_client_for(provider_consultant(referral)).get(f"{URL}{referral.uuid}/").json()
    assert (body["id"], body["history"], body["reviews"]) == (str(referral.uuid), [], [])


def test_retrieve_is_audited_as_a_view():
    referral = ReferralFactory()
    consultant = provider_consultant(referral)
    api_client_for(consultant).get(f"{URL}{referral.uuid}/")
    event = AuditEvent.objects.get()
    assert (event.user, event.patient, event.action, event.object_id, event.client) == (
        consultant,
        referral.patient,
        "view",
        str(referral.uuid),
        "api",
    )


def test_retrieve_without_a_relationship_is_404_and_audited_only_as_refused():
    referral = ReferralFactory()
    response = api_client_for(GPFactory()).get(f"{URL}{referral.uuid}/")
    assert response.status_code == 404
    assert list(AuditEvent.objects.values_list("action", "patient")) == [("refused", None)]


def test_retrieve_of_an_unknown_id_is_404(gp):
    assert api_client_for(gp).get(f"{URL}00000000-0000-0000-0000-000000000000/").status_code == 404


def test_panel_member_from_another_organisation_may_retrieve_the_panels_referral():
    panel = ReviewPanelFactory()
    referral = ReferralFactory(provider=panel.provider, panel=panel)
    member = panel.members.get(role="community_clinician")
    assert api_client_for(member).get(f"{URL}{referral.uuid}/").status_code == 200


# Pathway actions


def test_provider_books_an_accepted_referral():
    referral = ReferralFactory(status="accepted", category="P3")
    on = today() + timedelta(days=10)
    response = action(provider_consultant(referral), referral, "book", {"appointment_on": on})
    assert (response.status_code, response.json()["status"]) == (200, "booked")
    assert response.json()["appointment_on"] == on.isoformat()


def test_booking_in_the_past_names_the_field_and_changes_nothing():
    referral = ReferralFactory(status="accepted", category="P3")
    yesterday = today() - timedelta(days=1)
    response = action(
        provider_consultant(referral), referral, "book", {"appointment_on": yesterday}
    )
    assert (response.status_code, "appointment_on" in response.json()) == (400, True)
    referral.refresh_from_db()
    assert referral.status == "accepted"


def test_referring_gp_cannot_book():
    referral = ReferralFactory(status="accepted", category="P3")
    gp = GPFactory(organisation=referral.referring_practice)
    response = action(gp, referral, "book", {"appointment_on": today()})
    assert response.status_code == 403


def test_action_on_a_referral_without_a_relationship_is_404():
    referral = ReferralFactory(status="accepted", category="P3")
    response = action(ConsultantFactory(), referral, "book", {"appointment_on": today()})
    assert response.status_code == 404


def test_dna_returns_a_booked_referral_for_rebooking():
    referral = ReferralFactory(status="booked", category="P3", appointments_booked=1)
    response = action(provider_consultant(referral), referral, "dna")
    referral.refresh_from_db()
    assert (response.status_code, referral.status, referral.awaiting_rebook) == (
        200,
        "accepted",
        True,
    )


@pytest.mark.parametrize("outcome", ["treated", "discharged"])
def test_stopping_the_clock_closes_the_referral(outcome):
    referral = ReferralFactory(status="booked", category="P3")
    response = action(provider_consultant(referral), referral, "stop-clock", {"outcome": outcome})
    referral.refresh_from_db()
    assert (response.status_code, referral.status, referral.clock_stopped_on) == (
        200,
        outcome,
        today(),
    )


def test_stop_clock_with_another_outcome_names_the_field():
    referral = ReferralFactory(status="booked", category="P3")
    response = action(provider_consultant(referral), referral, "stop-clock", {"outcome": "lost"})
    assert (response.status_code, "outcome" in response.json()) == (400, True)


def test_referring_practice_may_cancel_with_a_reason():
    referral = ReferralFactory()
    gp = GPFactory(organisation=referral.referring_practice)
    response = action(gp, referral, "cancel", {"reason": "Patient moved away."})
    assert (response.status_code, response.json()["status"]) == (200, "cancelled")


def test_cancel_without_a_reason_names_the_field_and_changes_nothing():
    referral = ReferralFactory()
    response = action(provider_consultant(referral), referral, "cancel", {"reason": ""})
    referral.refresh_from_db()
    assert (response.status_code, "reason" in response.json(), referral.status) == (
        400,
        True,
        "awaiting_review",
    )


def test_cancelling_a_closed_referral_is_a_400():
    referral = ReferralFactory(status="treated")
    response = action(provider_consultant(referral), referral, "cancel", {"reason": "Duplicate"})
    assert response.status_code == 400


def harm_review_of_a_long_wait(**body):
    referral = ReferralFactory(clock_start=today() - timedelta(days=400))
    return referral, action(provider_consultant(referral), referral, "harm-review", body)


def test_provider_records_a_harm_review():
    referral, response = harm_review_of_a_long_wait(
        outcome="no_harm", notes="Telephone review: symptoms unchanged."
    )
    assert (response.status_code, response.json()["outcome"]) == (201, "no_harm")
    assert HarmReview.objects.filter(referral=referral).exists()


def test_harm_review_reprioritised_without_a_category_names_the_field():
    _, response = harm_review_of_a_long_wait(outcome="reprioritised", notes="Pain now at rest.")
    assert (response.status_code, "new_category" in response.json()) == (400, True)
    assert not HarmReview.objects.exists()


def test_provider_assigns_a_referral_to_a_panel_of_its_service():
    panel = ReviewPanelFactory()
    referral = ReferralFactory(provider=panel.provider)
    response = action(
        provider_consultant(referral), referral, "assign-panel", {"panel": str(panel.uuid)}
    )
    assert (response.status_code, response.json()["panel"]) == (200, str(panel.uuid))


def test_assigning_to_a_panel_of_another_service_names_the_field():
    referral = ReferralFactory()
    consultant = provider_consultant(referral)
    panel = ReviewPanelFactory(provider=referral.provider, treatment_function_id="120")
    response = action(consultant, referral, "assign-panel", {"panel": str(panel.uuid)})
    referral.refresh_from_db()
    assert (response.status_code, "panel" in response.json(), referral.panel) == (400, True, None)


def test_community_clinician_of_another_provider_cannot_assign_a_panel():
    panel = ReviewPanelFactory()
    referral = ReferralFactory(provider=panel.provider, panel=panel)
    member = panel.members.get(role="community_clinician")
    response = action(member, referral, "assign-panel", {"panel": str(panel.uuid)})
    assert response.status_code == 403


def test_manager_cannot_act_on_a_referral():
    trust = TrustFactory()
    referral = ReferralFactory(provider=trust, status="accepted", category="P3")
    manager = ManagerFactory(organisation=trust.icb)
    response = action(manager, referral, "book", {"appointment_on": today()})
    assert response.status_code == 403


def test_community_clinician_with_no_part_gets_404_for_an_action():
    referral = ReferralFactory()
    response = action(CommunityClinicianFactory(), referral, "cancel", {"reason": "x"})
    assert response.status_code == 404


# The clock start (docs/product.md §2): a backdated clock would jump the provider's queue.


def patient_of(new_referral):
    return Patient.objects.get(nhs_number=new_referral["nhs_number"].replace(" ", ""))


def test_a_clock_start_in_year_1_is_refused_naming_the_field(gp, new_referral):
    new_referral["clock_start"] = "0001-01-01"
    response = api_client_for(gp).post(URL, new_referral, format="json")
    assert response.status_code == 400
    assert response.json()["clock_start"] == ["Clock start 01 Jan 0001 is before 01 Jan 1900."]
    assert not Referral.objects.exists()


def test_a_clock_start_before_the_patients_birth_is_refused_naming_the_field(gp, new_referral):
    born = patient_of(new_referral).date_of_birth
    new_referral["clock_start"] = (born - timedelta(days=1)).isoformat()
    response = api_client_for(gp).post(URL, new_referral, format="json")
    assert response.status_code == 400
    assert response.json()["clock_start"] == [
        f"Clock start {born - timedelta(days=1):%d %b %Y} is before the patient's date of "
        f"birth ({born:%d %b %Y})."
    ]
    assert not Referral.objects.exists()


def test_a_clock_start_on_the_patients_birthday_is_accepted(gp, new_referral):
    patient = patient_of(new_referral)
    patient.date_of_birth = today() - timedelta(days=3)
    patient.save()
    new_referral["clock_start"] = patient.date_of_birth.isoformat()
    response = api_client_for(gp).post(URL, new_referral, format="json")
    assert response.status_code == 201, response.content
