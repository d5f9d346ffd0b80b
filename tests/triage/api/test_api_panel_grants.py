"""/api/v1/panels/: invitations to sit on a panel, the bulk assignment cap, and the registered
practice a new referral or A&G request must come from (docs/product.md §1, §7)."""

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from tests.factories import (
    ConsultantFactory,
    GPFactory,
    ManagerFactory,
    PatientFactory,
    TrustFactory,
)
from tests.helpers import api_client_for
from tests.triage.factories import PanelMembershipFactory, ReferralFactory, ReviewPanelFactory
from triage.models import AdviceRequest, Referral

pytestmark = pytest.mark.django_db
URL = "/api/v1/panels/"
INVITATIONS = f"{URL}invitations/"


@pytest.fixture
def invitation():
    """A GP from another ICB invited to a panel that has a referral assigned."""
    membership = PanelMembershipFactory()
    ReferralFactory(provider=membership.panel.provider, panel=membership.panel)
    return membership


def respond(user, panel, answer):
    return api_client_for(user).post(f"{URL}{panel.uuid}/membership/{answer}/")


def test_invited_clinician_lists_their_pending_invitations(invitation):
    body = api_client_for(invitation.user).get(INVITATIONS).json()
    assert [(i["panel"], i["status"]) for i in body["results"]] == [
        (str(invitation.panel.uuid), "pending")
    ]


def test_invitations_list_holds_only_the_callers_own(invitation):
    assert api_client_for(GPFactory()).get(INVITATIONS).json()["results"] == []


def test_invited_clinician_sees_no_referral_of_the_panel_before_accepting(invitation):
    body = api_client_for(invitation.user).get("/api/v1/queue/").json()
    assert body["results"] == []


def test_invited_clinician_gets_404_for_the_panel_before_accepting(invitation):
    response = api_client_for(invitation.user).get(f"{URL}{invitation.panel.uuid}/")
    assert response.status_code == 404


def test_accepting_shows_the_panels_referrals(invitation):
    response = respond(invitation.user, invitation.panel, "accept")
    assert (response.status_code, response.json()["status"]) == (200, "accepted")
    queue = api_client_for(invitation.user).get("/api/v1/queue/").json()["results"]
    assert len(queue) == 1


def test_declining_keeps_the_panels_referrals_hidden(invitation):
    response = respond(invitation.user, invitation.panel, "decline")
    assert (response.status_code, response.json()["status"]) == (200, "declined")
    assert api_client_for(invitation.user).get("/api/v1/queue/").json()["results"] == []
    assert api_client_for(invitation.user).get(INVITATIONS).json()["results"] == []


def test_accepting_after_declining_is_a_409(invitation):
    respond(invitation.user, invitation.panel, "decline")
    response = respond(invitation.user, invitation.panel, "accept")
    assert (response.status_code, response.json()["current"]) == (409, {"status": "declined"})


@pytest.mark.parametrize("answer", ["accept", "decline"])
def test_answering_for_a_panel_one_was_not_invited_to_is_404(invitation, answer):
    response = respond(GPFactory(), invitation.panel, answer)
    assert response.status_code == 404
    invitation.refresh_from_db()
    assert invitation.status == "pending"


def test_manager_answering_an_invitation_is_404(invitation):
    manager = ManagerFactory(organisation=invitation.panel.provider.icb)
    assert respond(manager, invitation.panel, "accept").status_code == 404


def test_unauthenticated_answer_is_refused(invitation):
    from rest_framework.test import APIClient

    response = APIClient().post(f"{URL}{invitation.panel.uuid}/membership/accept/")
    assert response.status_code in (401, 403)
    invitation.refresh_from_db()
    assert invitation.status == "pending"


def test_panel_detail_lists_pending_members_apart_from_those_seated(invitation):
    lead = ConsultantFactory(organisation=invitation.panel.provider)
    body = api_client_for(lead).get(f"{URL}{invitation.panel.uuid}/").json()
    assert str(invitation.user.uuid) not in {m["id"] for m in body["members"]}
    assert [(m["id"], m["status"]) for m in body["invited"]] == [
        (str(invitation.user.uuid), "pending")
    ]


# The bulk assignment cap


@pytest.fixture
def capped_panel(settings):
    settings.TRIAGE_PANEL_ASSIGN_MAX = 1
    panel = ReviewPanelFactory()
    referrals = ReferralFactory.create_batch(2, provider=panel.provider)
    return panel, referrals, ConsultantFactory(organisation=panel.provider)


def test_assignment_by_filters_over_the_cap_names_filters_and_moves_nothing(capped_panel):
    panel, _, lead = capped_panel
    response = api_client_for(lead).post(
        f"{URL}{panel.uuid}/assign/", {"filters": {}}, format="json"
    )
    assert (response.status_code, "filters" in response.json()) == (400, True)
    assert not Referral.objects.filter(panel=panel).exists()
    assert not AuditEvent.objects.exists()


def test_assignment_by_ids_over_the_cap_names_referrals_and_moves_nothing(capped_panel):
    panel, referrals, lead = capped_panel
    body = {"referrals": [str(r.uuid) for r in referrals]}
    response = api_client_for(lead).post(f"{URL}{panel.uuid}/assign/", body, format="json")
    assert (response.status_code, "referrals" in response.json()) == (400, True)
    assert not Referral.objects.filter(panel=panel).exists()


# A panel-only relationship never becomes lasting access


@pytest.fixture
def panel_gp():
    """A GP on a panel, and a patient registered elsewhere that they see only through it."""
    panel = ReviewPanelFactory()
    gp = panel.members.get(role="gp")
    referral = ReferralFactory(provider=panel.provider, panel=panel)
    return gp, referral.patient


def test_gp_cannot_refer_a_patient_seen_only_through_a_panel(panel_gp):
    gp, patient = panel_gp
    body = {
        "nhs_number": patient.nhs_number,
        "ubrn": "987654321098",
        "provider": TrustFactory().ods_code,
        "treatment_function": "110",
        "priority": "routine",
        "clock_start": timezone.localdate().isoformat(),
    }
    response = api_client_for(gp).post("/api/v1/referrals/", body, format="json")
    assert (response.status_code, response.json()["nhs_number"]) == (
        400,
        ["No patient registered at your practice has this NHS number."],
    )
    assert Referral.objects.count() == 1


def test_gp_cannot_ask_advice_and_guidance_about_a_patient_seen_only_through_a_panel(panel_gp):
    gp, patient = panel_gp
    body = {
        "nhs_number": patient.nhs_number,
        "provider": TrustFactory().ods_code,
        "treatment_function": "110",
        "question": "Would you see this patient?",
    }
    response = api_client_for(gp).post("/api/v1/advice-requests/", body, format="json")
    assert (response.status_code, response.json()["nhs_number"]) == (
        400,
        ["No patient registered at your practice has this NHS number."],
    )
    assert not AdviceRequest.objects.exists()


def test_gp_still_refers_their_own_registered_patient():
    gp = GPFactory()
    patient = PatientFactory(registered_practice=gp.organisation)
    body = {
        "nhs_number": patient.nhs_number,
        "ubrn": "987654321098",
        "provider": TrustFactory().ods_code,
        "treatment_function": "110",
        "priority": "routine",
        "clock_start": timezone.localdate().isoformat(),
    }
    response = api_client_for(gp).post("/api/v1/referrals/", body, format="json")
    assert response.status_code == 201
