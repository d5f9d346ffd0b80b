"""/api/v1/panels/: list, create, retrieve, and bulk assignment by ids or queue filters."""

import pytest

from audit.models import AuditEvent
from tests.factories import (
    CommunityClinicianFactory,
    ConsultantFactory,
    GPFactory,
    ManagerFactory,
    TrustFactory,
)
from tests.helpers import api_client_for
from tests.triage.factories import ReferralFactory, ReviewPanelFactory
from triage.models import Referral, ReviewPanel

pytestmark = pytest.mark.django_db
URL = "/api/v1/panels/"


@pytest.fixture
def panel():
    return ReviewPanelFactory()


@pytest.fixture
def lead(panel):
    """A consultant of the panel's provider: runs its panels."""
    return ConsultantFactory(organisation=panel.provider)


def assign(user, panel, body):
    return api_client_for(user).post(f"{URL}{panel.uuid}/assign/", body, format="json")


@pytest.fixture
def new_panel():
    trust = TrustFactory()
    members = [GPFactory(), CommunityClinicianFactory(), ConsultantFactory(organisation=trust)]
    return trust, {
        "name": "Knee pain review panel",
        "provider": trust.ods_code,
        "treatment_function": "110",
        "members": [str(m.uuid) for m in members],
    }


def test_member_from_primary_care_sees_the_panel(panel):
    gp = panel.members.get(role="gp")
    body = api_client_for(gp).get(URL).json()
    assert [p["id"] for p in body["results"]] == [str(panel.uuid)]


def test_clinician_with_no_part_sees_no_panel(panel):
    assert api_client_for(GPFactory()).get(URL).json()["results"] == []


def test_manager_sees_the_panels_of_the_icbs_providers(panel):
    manager = ManagerFactory(organisation=panel.provider.icb)
    assert len(api_client_for(manager).get(URL).json()["results"]) == 1


def test_detail_lists_the_members_with_their_organisations(panel):
    body = api_client_for(panel.members.get(role="gp")).get(f"{URL}{panel.uuid}/").json()
    assert sorted(m["role"] for m in body["members"]) == [
        "community_clinician",
        "consultant",
        "gp",
    ]


def test_detail_without_a_part_is_404(panel):
    assert api_client_for(GPFactory()).get(f"{URL}{panel.uuid}/").status_code == 404


def test_provider_consultant_sets_up_a_panel_from_three_sectors(new_panel):
    trust, body = new_panel
    consultant = ConsultantFactory(organisation=trust)
    response = api_client_for(consultant).post(URL, body, format="json")
    panel = response.json()
    # The GP and the community clinician work in other ICBs: invited until they accept.
    assert (response.status_code, len(panel["members"]), len(panel["invited"])) == (201, 1, 2)
    assert ReviewPanel.objects.get().name == "Knee pain review panel"


def test_panel_missing_a_sector_names_the_members_and_is_not_created(new_panel):
    trust, body = new_panel
    body["members"] = body["members"][1:]
    response = api_client_for(ConsultantFactory(organisation=trust)).post(URL, body, format="json")
    assert (response.status_code, "members" in response.json()) == (400, True)
    assert not ReviewPanel.objects.exists()


def test_unknown_member_id_names_the_members(new_panel):
    trust, body = new_panel
    body["members"].append("00000000-0000-0000-0000-000000000000")
    response = api_client_for(ConsultantFactory(organisation=trust)).post(URL, body, format="json")
    assert (response.status_code, "members" in response.json()) == (400, True)
    assert not ReviewPanel.objects.exists()


def test_consultant_of_another_trust_cannot_set_up_the_providers_panel(new_panel):
    _, body = new_panel
    response = api_client_for(ConsultantFactory()).post(URL, body, format="json")
    assert response.status_code == 403
    assert not ReviewPanel.objects.exists()


def test_assign_by_ids_moves_the_referrals_to_the_panel(panel, lead):
    referrals = ReferralFactory.create_batch(2, provider=panel.provider)
    response = assign(lead, panel, {"referrals": [str(r.uuid) for r in referrals]})
    assert (response.status_code, response.json()) == (200, {"assigned": 2})
    assert Referral.objects.filter(panel=panel).count() == 2


def test_assign_audits_each_referral_moved(panel, lead):
    referrals = ReferralFactory.create_batch(2, provider=panel.provider)
    assign(lead, panel, {"referrals": [str(r.uuid) for r in referrals]})
    assert AuditEvent.objects.filter(action="update", object_type="referral").count() == 2


def test_assign_by_queue_filters_moves_only_the_matching_referrals(panel, lead):
    urgent = ReferralFactory(provider=panel.provider, priority="urgent")
    ReferralFactory(provider=panel.provider, priority="routine")
    response = assign(lead, panel, {"filters": {"category": "P2"}})
    assert response.json() == {"assigned": 1}
    assert list(Referral.objects.filter(panel=panel)) == [urgent]


def test_assign_leaves_referrals_of_another_service_alone(panel, lead):
    ReferralFactory(provider=panel.provider, treatment_function_id="120")
    response = assign(lead, panel, {"filters": {}})
    assert response.json() == {"assigned": 0}


def test_assign_with_a_bad_filter_names_it_and_assigns_nothing(panel, lead):
    ReferralFactory(provider=panel.provider)
    response = assign(lead, panel, {"filters": {"category": "P9"}})
    assert (response.status_code, list(response.json()["filters"])) == (400, ["category"])
    assert not Referral.objects.filter(panel=panel).exists()


@pytest.mark.parametrize("body", [{}, {"referrals": [], "filters": {}}])
def test_assign_needs_either_ids_or_filters(panel, lead, body):
    response = assign(lead, panel, body)
    assert (response.status_code, "referrals" in response.json()) == (400, True)


def test_panel_member_from_primary_care_cannot_assign(panel):
    referral = ReferralFactory(provider=panel.provider)
    response = assign(panel.members.get(role="gp"), panel, {"referrals": [str(referral.uuid)]})
    assert response.status_code == 403
    assert not Referral.objects.filter(panel=panel).exists()


def test_assign_to_a_panel_without_a_part_is_404(panel):
    response = assign(ConsultantFactory(), panel, {"filters": {}})
    assert response.status_code == 404
