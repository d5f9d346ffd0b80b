"""Panels: list, creation across the three sectors, members, and bulk assignment."""

import pytest

from tests.factories import CommunityClinicianFactory, ConsultantFactory, GPFactory, UserFactory
from tests.helpers import signed_in
from tests.triage.factories import ReferralFactory, ReviewPanelFactory
from triage.models import ReviewPanel

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultant(client):
    return signed_in(client, ConsultantFactory())


def test_panels_list_shows_the_providers_panels_only(client, consultant):
    mine = ReviewPanelFactory(provider=consultant.organisation)
    other = ReviewPanelFactory()
    body = client.get("/triage/panels/").content.decode()
    assert mine.name in body
    assert other.name not in body


def test_consultant_creates_a_panel_with_all_three_sectors(client, consultant):
    gp, community = GPFactory(), CommunityClinicianFactory()
    response = client.post(
        "/triage/panels/new/",
        {
            "name": "Knee panel",
            "treatment_function": "110",
            "members": f"{gp.username}, {community.username}\n{consultant.username}",
        },
    )
    panel = ReviewPanel.objects.get()
    assert response.status_code == 302
    assert (panel.provider, set(panel.members.all())) == (
        consultant.organisation,
        {gp, community, consultant},
    )


def test_panel_without_primary_care_names_the_members_field(client, consultant):
    community = CommunityClinicianFactory()
    response = client.post(
        "/triage/panels/new/",
        {
            "name": "Knee panel",
            "treatment_function": "110",
            "members": f"{community.username} {consultant.username}",
        },
    )
    assert response.status_code == 400
    assert "missing: primary" in response.content.decode()
    assert not ReviewPanel.objects.exists()


def test_gp_cannot_set_up_a_panel(client):
    client.force_login(GPFactory())
    assert client.get("/triage/panels/new/").status_code == 403


def test_panel_page_shows_members_sector_and_returning_flag(client, consultant):
    returning = GPFactory(is_returning_clinician=True, first_name="Mo", last_name="Farah")
    panel = ReviewPanelFactory(
        provider=consultant.organisation,
        members=[returning, CommunityClinicianFactory(), consultant],
    )
    body = client.get(f"/triage/panels/{panel.uuid}/").content.decode()
    assert "Mo Farah" in body
    assert "Returning clinician" in body
    assert "Primary" in body


def test_panel_page_is_404_for_a_clinician_with_no_part_in_it(client):
    panel = ReviewPanelFactory()
    client.force_login(UserFactory())
    assert client.get(f"/triage/panels/{panel.uuid}/").status_code == 404


def test_bulk_assign_moves_only_referrals_matching_the_filters(client, consultant):
    panel = ReviewPanelFactory(provider=consultant.organisation)
    urgent = ReferralFactory(provider=consultant.organisation, priority="urgent")
    routine = ReferralFactory(provider=consultant.organisation, priority="routine")
    response = client.post(f"/triage/panels/{panel.uuid}/assign/", {"category": "P2"})
    urgent.refresh_from_db()
    routine.refresh_from_db()
    assert response.status_code == 302
    assert (urgent.panel, routine.panel) == (panel, None)
