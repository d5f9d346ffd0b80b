"""Advice pages: a GP answers a consultant; Advice & Guidance asked and converted."""

import pytest

from audit.models import AuditEvent
from tests.factories import ConsultantFactory, GPFactory, PatientFactory, TrustFactory
from tests.helpers import signed_in
from tests.triage.factories import AdviceRequestFactory, treatment_function
from triage.models import AdviceRequest, Referral

pytestmark = pytest.mark.django_db


def advice_url(advice, action="") -> str:
    return f"/triage/advice/{advice.uuid}/{action + '/' if action else ''}"


@pytest.fixture
def advice():
    return AdviceRequestFactory()


@pytest.fixture
def gp(client, advice):
    return signed_in(client, GPFactory(organisation=advice.practice))


def test_gp_answer_returns_the_referral_to_review(client, advice, gp):
    response = client.post(advice_url(advice, "reply"), {"answer": "Yes, in March: normal."})
    assert response.status_code == 302
    advice.refresh_from_db()
    advice.referral.refresh_from_db()
    assert (advice.status, advice.answered_by, advice.referral.status) == (
        "answered",
        gp,
        "under_review",
    )


def test_empty_answer_names_the_field_and_changes_nothing(client, advice, gp):
    response = client.post(advice_url(advice, "reply"), {"answer": "  "})
    assert response.status_code == 400
    assert "Your answer: Write an answer." in response.content.decode()
    advice.refresh_from_db()
    assert advice.status == "awaiting_reply"


def test_gp_of_another_practice_gets_404_for_the_advice_page(client, advice):
    client.force_login(GPFactory())
    assert client.get(advice_url(advice)).status_code == 404


def test_opening_an_advice_request_is_audited(client, advice, gp):
    client.get(advice_url(advice))
    assert AuditEvent.objects.filter(
        user=gp, action="view", object_type="advice_request", patient=advice.patient
    ).exists()


@pytest.fixture
def trust():
    return TrustFactory()


def guidance_data(patient, trust, **overrides) -> dict:
    data = {
        "nhs_number": patient.nhs_number,
        "provider": trust.ods_code,
        "treatment_function": "330",
        "question": "Would you see this pigmented lesion or can I monitor it?",
    }
    data.update(overrides)
    return data


def test_gp_asks_advice_and_guidance_about_their_patient(client, trust):
    gp = GPFactory()
    patient = PatientFactory(registered_practice=gp.organisation)
    client.force_login(gp)
    response = client.post("/triage/advice/new/", guidance_data(patient, trust))
    advice = AdviceRequest.objects.get()
    assert response.status_code == 302
    assert (advice.patient, advice.provider, advice.direction) == (patient, trust, "to_specialist")


def test_advice_and_guidance_refuses_a_patient_the_gp_may_not_see(client, trust):
    client.force_login(GPFactory())
    response = client.post("/triage/advice/new/", guidance_data(PatientFactory(), trust))
    assert (
        "Patient&#x27;s NHS number: No patient registered at your practice"
        in response.content.decode()
    )
    assert not AdviceRequest.objects.exists()


def test_consultants_cannot_open_the_advice_and_guidance_form(client):
    client.force_login(ConsultantFactory())
    assert client.get("/triage/advice/new/").status_code == 403


def test_specialist_converts_advice_and_guidance_to_a_referral(client, trust):
    gp = GPFactory()
    advice = AdviceRequestFactory(
        direction="to_specialist",
        referral=None,
        patient=PatientFactory(registered_practice=gp.organisation),
        practice=gp.organisation,
        provider=trust,
        treatment_function=treatment_function("330"),
        asked_by=gp,
    )
    client.force_login(ConsultantFactory(organisation=trust))
    response = client.post(advice_url(advice, "convert"), {"priority": "urgent"})
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert (referral.patient, referral.priority, referral.provider) == (
        advice.patient,
        "urgent",
        trust,
    )


def test_the_consultant_who_asked_gets_403_answering_their_own_question(client, advice):
    client.force_login(ConsultantFactory(organisation=advice.provider))
    response = client.post(advice_url(advice, "reply"), {"answer": "Answering myself."})
    assert response.status_code == 403
    advice.refresh_from_db()
    assert advice.status == "awaiting_reply"


def test_the_asking_gp_gets_403_converting_their_own_request(client, trust):
    gp = GPFactory()
    advice = AdviceRequestFactory(
        direction="to_specialist",
        referral=None,
        patient=PatientFactory(registered_practice=gp.organisation),
        practice=gp.organisation,
        provider=trust,
        treatment_function=treatment_function("330"),
        asked_by=gp,
    )
    client.force_login(gp)
    response = client.post(advice_url(advice, "convert"), {"priority": "urgent"})
    assert response.status_code == 403
    assert not Referral.objects.exists()
