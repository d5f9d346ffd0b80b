"""/api/v1/advice-requests/: both directions of advice, replies and conversion to a referral."""

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from tests.factories import ConsultantFactory, GPFactory, PatientFactory, TrustFactory
from tests.helpers import api_client_for
from tests.triage.factories import AdviceRequestFactory, treatment_function
from triage.models import AdviceRequest, Referral

pytestmark = pytest.mark.django_db
URL = "/api/v1/advice-requests/"


def post(user, path, body):
    return api_client_for(user).post(f"{URL}{path}", body, format="json")


@pytest.fixture
def gp():
    return GPFactory()


@pytest.fixture
def advice_and_guidance(gp):
    """A GP's question to a trust's orthopaedic service, before referring."""
    return AdviceRequestFactory(
        direction="to_specialist",
        referral=None,
        patient=PatientFactory(registered_practice=gp.organisation),
        practice=gp.organisation,
        provider=TrustFactory(),
        treatment_function=treatment_function("110"),
        asked_by=gp,
    )


def specialist(advice):
    return ConsultantFactory(organisation=advice.provider)


@pytest.fixture
def new_question(gp):
    patient = PatientFactory(registered_practice=gp.organisation)
    return {
        "nhs_number": patient.nhs_number,
        "provider": TrustFactory().ods_code,
        "treatment_function": "110",
        "question": "Would an MRI before referral help?",
    }


def test_gp_sees_the_advice_asked_of_their_practice():
    advice = AdviceRequestFactory()
    gp = GPFactory(organisation=advice.practice)
    body = api_client_for(gp).get(URL).json()
    assert [a["id"] for a in body["results"]] == [str(advice.uuid)]


def test_gp_of_another_practice_sees_no_advice():
    AdviceRequestFactory()
    assert api_client_for(GPFactory()).get(URL).json()["results"] == []


def test_listing_advice_audits_each_request_served():
    advice = AdviceRequestFactory()
    api_client_for(GPFactory(organisation=advice.practice)).get(URL)
    event = AuditEvent.objects.get(action="list")
    assert (event.patient, event.object_type, event.object_id) == (
        advice.patient,
        "advice_request",
        str(advice.uuid),
    )


def test_gp_asks_a_specialist_for_advice_and_guidance(gp, new_question):
    response = api_client_for(gp).post(URL, new_question, format="json")
    assert (response.status_code, response.json()["direction"]) == (201, "to_specialist")
    assert AdviceRequest.objects.get().asked_by == gp


def test_advice_and_guidance_without_a_question_names_the_field(gp, new_question):
    new_question["question"] = ""
    response = api_client_for(gp).post(URL, new_question, format="json")
    assert (response.status_code, "question" in response.json()) == (400, True)
    assert not AdviceRequest.objects.exists()


def test_advice_and_guidance_for_a_patient_registered_elsewhere_names_the_nhs_number(
    gp, new_question
):
    new_question["nhs_number"] = PatientFactory().nhs_number
    response = api_client_for(gp).post(URL, new_question, format="json")
    assert (response.status_code, list(response.json())) == (400, ["nhs_number"])
    assert not AdviceRequest.objects.exists()


def test_consultant_cannot_ask_for_advice_and_guidance(new_question):
    response = api_client_for(ConsultantFactory()).post(URL, new_question, format="json")
    assert response.status_code == 403


def test_gps_answer_returns_the_referral_to_review():
    advice = AdviceRequestFactory()
    gp = GPFactory(organisation=advice.practice)
    response = post(gp, f"{advice.uuid}/reply/", {"answer": "X-ray in March: mild OA."})
    advice.referral.refresh_from_db()
    assert (response.status_code, response.json()["status"], advice.referral.status) == (
        200,
        "answered",
        "under_review",
    )


def test_empty_answer_names_the_field_and_changes_nothing():
    advice = AdviceRequestFactory()
    response = post(GPFactory(organisation=advice.practice), f"{advice.uuid}/reply/", {})
    advice.refresh_from_db()
    assert (response.status_code, "answer" in response.json(), advice.status) == (
        400,
        True,
        "awaiting_reply",
    )


def test_answering_twice_is_a_400():
    advice = AdviceRequestFactory()
    gp = GPFactory(organisation=advice.practice)
    post(gp, f"{advice.uuid}/reply/", {"answer": "Yes."})
    response = post(gp, f"{advice.uuid}/reply/", {"answer": "Yes, again."})
    assert response.status_code == 400


def test_the_consultant_who_asked_cannot_answer_their_own_question():
    advice = AdviceRequestFactory()
    response = post(advice.asked_by, f"{advice.uuid}/reply/", {"answer": "Self-answer."})
    assert response.status_code == 403


def test_reply_without_a_part_is_404():
    advice = AdviceRequestFactory()
    response = post(GPFactory(), f"{advice.uuid}/reply/", {"answer": "Not mine."})
    assert response.status_code == 404


def test_specialist_converts_advice_and_guidance_to_a_referral(advice_and_guidance):
    response = post(
        specialist(advice_and_guidance),
        f"{advice_and_guidance.uuid}/convert/",
        {"priority": "urgent", "note": "Needs to be seen."},
    )
    advice_and_guidance.refresh_from_db()
    referral = Referral.objects.get(uuid=response.json()["id"])
    assert (response.status_code, advice_and_guidance.converted_referral, referral.clock_start) == (
        201,
        referral,
        timezone.localdate(),
    )


def test_conversion_with_an_unknown_priority_names_the_field(advice_and_guidance):
    response = post(
        specialist(advice_and_guidance), f"{advice_and_guidance.uuid}/convert/", {"priority": "x"}
    )
    assert (response.status_code, "priority" in response.json()) == (400, True)
    assert not Referral.objects.exists()


def test_the_asking_gp_cannot_convert_their_own_request(gp, advice_and_guidance):
    response = post(gp, f"{advice_and_guidance.uuid}/convert/", {"priority": "routine"})
    assert response.status_code == 403
    assert not Referral.objects.exists()
