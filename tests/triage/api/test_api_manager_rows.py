"""Managers' rows in the API carry no patient identifier: no NHS number, name, date of birth,
UBRN or free text (docs/product.md §1), and a pseudonym of their own ICB's."""

import json
import re

import pytest

from audit.services import COMMAND_CONTEXT
from core.pseudonyms import patient_pseudonym
from tests.factories import ConsultantFactory, ManagerFactory, PracticeFactory
from tests.helpers import api_client_for
from tests.triage.factories import ReviewPanelFactory
from tests.triage.manager_surfaces import identifiable_referral, leaked
from triage.services.reviews import referral_review

pytestmark = pytest.mark.django_db


@pytest.fixture
def referral():
    referral = identifiable_referral()
    referral_review(
        referral=referral,
        reviewer=ConsultantFactory(organisation=referral.provider),
        context=COMMAND_CONTEXT,
        category="P3",
        outcome="accept",
        rationale="Quillfield: needs a scan first.",
        version=referral.version,
    )
    referral.refresh_from_db()
    return referral


@pytest.fixture
def manager(referral):
    return ManagerFactory(organisation=referral.provider.icb)


def get(user, url) -> tuple[int, str]:
    response = api_client_for(user).get(url)
    return response.status_code, json.dumps(response.json())


def test_manager_queue_rows_carry_no_identifier(referral, manager):
    status, body = get(manager, "/api/v1/queue/")
    assert (status, str(referral.uuid) in body, leaked(body, referral)) == (200, True, [])


def test_manager_referral_list_carries_no_identifier(referral, manager):
    status, body = get(manager, "/api/v1/referrals/")
    assert (status, str(referral.uuid) in body, leaked(body, referral)) == (200, True, [])


def test_manager_referral_detail_carries_no_identifier(referral, manager):
    status, body = get(manager, f"/api/v1/referrals/{referral.uuid}/")
    assert (status, leaked(body, referral)) == (200, [])


def test_manager_referral_keeps_the_schema_with_blank_identifiers(referral, manager):
    row = api_client_for(manager).get(f"/api/v1/referrals/{referral.uuid}/").json()
    assert (row["ubrn"], row["external_id"], row["nhs_number"], row["reason"]) == (
        None,
        "",
        None,
        None,
    )


def test_clinician_still_sees_the_identifiers(referral):
    consultant = ConsultantFactory(organisation=referral.provider)
    row = api_client_for(consultant).get(f"/api/v1/referrals/{referral.uuid}/").json()
    assert (row["ubrn"], row["external_id"]) == (referral.ubrn, referral.external_id)


def test_manager_pseudonym_is_64_bits_keyed_to_their_icb(referral, manager):
    row = api_client_for(manager).get("/api/v1/queue/").json()["results"][0]
    assert row["patient_name"] == patient_pseudonym(
        referral.patient.uuid, f"icb:{manager.organisation_id}"
    )
    assert re.fullmatch(r"PSN-[0-9A-F]{16}", row["patient_name"])


def test_two_icbs_managers_see_different_pseudonyms_for_one_patient(referral, manager):
    # Referred from a practice in another ICB: both ICBs' managers see the referral.
    practice = PracticeFactory()
    referral.referring_practice = practice
    referral.save(update_fields=["referring_practice"])
    other = ManagerFactory(organisation=practice.icb)
    ours = api_client_for(manager).get("/api/v1/queue/").json()["results"][0]
    theirs = api_client_for(other).get("/api/v1/queue/").json()["results"][0]
    assert ours["id"] == theirs["id"]
    assert ours["patient_name"] != theirs["patient_name"]


def test_manager_panel_api_names_no_patient(referral, manager):
    panel = ReviewPanelFactory(provider=referral.provider)
    referral.panel = panel
    referral.save(update_fields=["panel"])
    status, body = get(manager, f"/api/v1/panels/{panel.uuid}/")
    assert (status, leaked(body, referral)) == (200, [])
