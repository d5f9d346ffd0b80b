"""Panels in the browser: invitations answered with POST forms, the bulk assignment cap, and
Advice & Guidance only about the GP's own registered patients (docs/product.md §1, §2)."""

import pytest

from tests.factories import ConsultantFactory, GPFactory, ManagerFactory
from tests.helpers import signed_in
from tests.triage.factories import PanelMembershipFactory, ReferralFactory, ReviewPanelFactory
from triage.models import AdviceRequest, Referral

pytestmark = pytest.mark.django_db
PANELS = "/triage/panels/"


@pytest.fixture
def invitation():
    membership = PanelMembershipFactory()
    ReferralFactory(provider=membership.panel.provider, panel=membership.panel)
    return membership


def answer_url(panel, answer) -> str:
    return f"{PANELS}{panel.uuid}/membership/{answer}/"


def test_panels_page_shows_the_invitation_with_accept_and_decline_forms(client, invitation):
    signed_in(client, invitation.user)
    body = client.get(PANELS).content.decode()
    assert invitation.panel.name in body
    assert f'<form method="post" action="{answer_url(invitation.panel, "accept")}"' in body
    assert f'<form method="post" action="{answer_url(invitation.panel, "decline")}"' in body


def test_invited_clinician_gets_404_for_the_panel_page_before_accepting(client, invitation):
    signed_in(client, invitation.user)
    assert client.get(f"{PANELS}{invitation.panel.uuid}/").status_code == 404


def test_accepting_in_the_browser_opens_the_panel(client, invitation):
    signed_in(client, invitation.user)
    response = client.post(answer_url(invitation.panel, "accept"))
    invitation.refresh_from_db()
    assert (response.status_code, invitation.status) == (302, "accepted")
    assert client.get(f"{PANELS}{invitation.panel.uuid}/").status_code == 200


def test_declining_in_the_browser_keeps_the_panel_closed(client, invitation):
    signed_in(client, invitation.user)
    client.post(answer_url(invitation.panel, "decline"))
    invitation.refresh_from_db()
    assert invitation.status == "declined"
    body = client.get(PANELS).content.decode()
    assert f"{PANELS}{invitation.panel.uuid}/" not in body
    assert 'data-testid="panel-invitation"' not in body


def test_answering_by_get_is_not_allowed(client, invitation):
    signed_in(client, invitation.user)
    assert client.get(answer_url(invitation.panel, "accept")).status_code == 405
    invitation.refresh_from_db()
    assert invitation.status == "pending"


@pytest.mark.parametrize("user_factory", [GPFactory, ConsultantFactory, ManagerFactory])
def test_answering_for_a_panel_one_was_not_invited_to_is_404(client, invitation, user_factory):
    signed_in(client, user_factory())
    assert client.post(answer_url(invitation.panel, "accept")).status_code == 404
    invitation.refresh_from_db()
    assert invitation.status == "pending"


def test_panel_page_marks_the_invited_member_as_pending(client, invitation):
    signed_in(client, ConsultantFactory(organisation=invitation.panel.provider))
    body = client.get(f"{PANELS}{invitation.panel.uuid}/").content.decode()
    assert "Invited, not yet accepted" in body


def test_bulk_assignment_over_the_cap_is_refused_and_moves_nothing(client, settings):
    settings.TRIAGE_PANEL_ASSIGN_MAX = 1
    panel = ReviewPanelFactory()
    ReferralFactory.create_batch(2, provider=panel.provider)
    signed_in(client, ConsultantFactory(organisation=panel.provider))
    response = client.post(f"{PANELS}{panel.uuid}/assign/", {})
    assert response.status_code == 400
    assert "at most 1" in response.content.decode()
    assert not Referral.objects.filter(panel=panel).exists()


def test_advice_and_guidance_refuses_a_patient_seen_only_through_a_panel(client):
    panel = ReviewPanelFactory()
    gp = signed_in(client, panel.members.get(role="gp"))
    patient = ReferralFactory(provider=panel.provider, panel=panel).patient
    response = client.post(
        "/triage/advice/new/",
        {
            "nhs_number": patient.nhs_number,
            "provider": panel.provider.ods_code,
            "treatment_function": "110",
            "question": "Would you see this patient?",
        },
    )
    assert response.status_code == 400
    assert "No patient registered at your practice has this NHS number" in (
        response.content.decode()
    )
    assert not AdviceRequest.objects.filter(asked_by=gp).exists()
