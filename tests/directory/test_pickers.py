"""Pickers: organisations by name or ODS code, clinicians by name, in the API and the browser;
the forms that use them, and the message for a code nobody has."""

import pytest

from tests.factories import (
    CommunityClinicianFactory,
    ConsultantFactory,
    GPFactory,
    ManagerFactory,
    PatientFactory,
    PracticeFactory,
    TrustFactory,
)
from tests.helpers import api_client_for, signed_in
from triage.models import ReviewPanel

pytestmark = pytest.mark.django_db
ORGANISATIONS = "/api/v1/organisations/"
CLINICIANS = "/api/v1/clinicians/"


def results(user, url, **params) -> list[dict]:
    response = api_client_for(user).get(url, params)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_organisations_are_found_by_words_of_their_name():
    trust = TrustFactory(name="Barchester Royal Infirmary NHS Trust")
    TrustFactory(name="Elsewhere Hospitals NHS Trust")
    rows = results(GPFactory(), ORGANISATIONS, search="barchester royal")
    assert rows == [{"ods_code": trust.ods_code, "name": trust.name, "kind": "trust"}]


def test_organisations_are_found_by_the_start_of_their_ods_code():
    trust = TrustFactory(ods_code="RXQ")
    TrustFactory(ods_code="RAQ")
    assert [r["ods_code"] for r in results(GPFactory(), ORGANISATIONS, search="rx")] == [
        trust.ods_code
    ]


def test_organisation_search_narrows_to_providers():
    trust = TrustFactory(name="Findme Trust")
    PracticeFactory(name="Findme Surgery")
    rows = results(GPFactory(), ORGANISATIONS, search="findme", kind="provider")
    assert [r["ods_code"] for r in rows] == [trust.ods_code]


def test_organisation_search_refuses_an_unknown_kind():
    response = api_client_for(GPFactory()).get(ORGANISATIONS, {"kind": "castle"})
    assert response.status_code == 400
    assert "castle is not a kind of organisation." in response.content.decode()


def test_organisation_search_returns_at_most_twenty():
    for n in range(25):
        TrustFactory(name=f"Many Trust {n}")
    assert len(results(GPFactory(), ORGANISATIONS, search="many")) == 20


def test_managers_may_search_organisations():
    assert results(ManagerFactory(), ORGANISATIONS, search="x") == []


def test_clinicians_are_found_by_name_with_organisation_and_role():
    consultant = ConsultantFactory(first_name="Imelda", last_name="Quorndon")
    (row,) = results(GPFactory(), CLINICIANS, search="quorndon")
    assert row == {
        "username": consultant.username,
        "name": "Imelda Quorndon",
        "organisation": consultant.organisation.ods_code,
        "role": "consultant",
    }


def test_clinician_search_leaves_out_inactive_users_and_managers():
    ConsultantFactory(last_name="Quorndon", is_active=False)
    ManagerFactory(last_name="Quorndon")
    assert results(GPFactory(), CLINICIANS, search="quorndon") == []


def test_clinician_search_is_refused_to_managers():
    response = api_client_for(ManagerFactory()).get(CLINICIANS, {"search": "a"})
    assert response.status_code == 403


def test_browser_organisation_options_answer_the_typed_field(client):
    signed_in(client, GPFactory())
    trust = TrustFactory(name="Optionable Trust")
    response = client.get(
        "/pickers/organisations/", {"field": "provider", "provider": "optionable"}
    )
    assert f'<option value="{trust.ods_code}">Optionable Trust ({trust.ods_code})</option>' in (
        response.content.decode()
    )


def test_browser_clinician_options_name_role_and_organisation(client):
    signed_in(client, ConsultantFactory())
    gp = GPFactory(first_name="Ottoline", last_name="Pickering")
    body = client.get("/pickers/clinicians/", {"search": "pickering"}).content.decode()
    assert f'<option value="{gp.username}">Ottoline Pickering, GP, {gp.organisation.name}' in body


def test_queue_filter_names_an_unknown_ods_code(client):
    signed_in(client, ConsultantFactory())
    body = client.get("/triage/queue/", {"provider": "xyz"}).content.decode()
    assert "No organisation with ODS code XYZ: search by name or code." in body
    assert "No referrals match" not in body


def test_queue_filter_provider_input_fetches_suggestions(client):
    signed_in(client, ConsultantFactory())
    body = client.get("/triage/queue/").content.decode()
    assert 'list="id_provider-options"' in body
    assert 'hx-get="/pickers/organisations/?field=provider&amp;kind=provider"' in body


def test_advice_request_names_an_unknown_provider_code(client):
    gp = signed_in(client, GPFactory())
    patient = PatientFactory(registered_practice=gp.organisation)
    response = client.post(
        "/triage/advice/new/",
        {
            "nhs_number": patient.nhs_number,
            "provider": "nope1",
            "treatment_function": "330",
            "question": "Would you see this?",
        },
    )
    assert "No organisation with ODS code NOPE1: search by name or code." in (
        response.content.decode()
    )


def test_panel_picker_choice_joins_the_members(client):
    consultant = signed_in(client, ConsultantFactory())
    gp, community = GPFactory(), CommunityClinicianFactory()
    response = client.post(
        "/triage/panels/new/",
        {
            "name": "Hip panel",
            "treatment_function": "110",
            "members": f"{community.username} {consultant.username}",
            "add_member": gp.username,
        },
    )
    assert response.status_code == 302
    assert set(ReviewPanel.objects.get().members.all()) == {gp, community, consultant}


def test_panel_names_an_unknown_username(client):
    signed_in(client, ConsultantFactory())
    response = client.post(
        "/triage/panels/new/",
        {"name": "Hip panel", "treatment_function": "110", "members": "nobody-here"},
    )
    assert "No clinician with username nobody-here: search by name." in (response.content.decode())
