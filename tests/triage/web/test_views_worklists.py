"""Worklists: counts, rows, the navigation total, and who may open them."""

import re

import pytest

from audit.models import AuditEvent
from tests.factories import ConsultantFactory, GPFactory, ManagerFactory
from tests.helpers import signed_in
from tests.triage.factories import AdviceRequestFactory, ReferralFactory
from triage.services.queue import queue_recompute

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultant(client):
    return signed_in(client, ConsultantFactory())


def count_in_row(body: str, slug: str) -> int:
    row = re.search(rf'data-testid="worklist-{slug}".*?</tr>', body, re.S).group(0)
    return int(re.findall(r'app-numeric">(\d+)<', row)[-1])


def test_worklists_page_shows_each_list_with_its_count(client, consultant):
    ReferralFactory.create_batch(2, provider=consultant.organisation)
    ReferralFactory(provider=consultant.organisation, status="accepted")
    queue_recompute()  # counts are as of the last recomputation
    body = client.get("/triage/worklists/").content.decode()
    assert (count_in_row(body, "for-review"), count_in_row(body, "awaiting-booking")) == (2, 1)


def test_for_review_worklist_lists_the_referrals_and_audits_them(client, consultant):
    referral = ReferralFactory(provider=consultant.organisation)
    body = client.get("/triage/worklists/for-review/").content.decode()
    assert f'data-referral="{referral.uuid}"' in body
    assert AuditEvent.objects.filter(action="list", patient=referral.patient).exists()


def test_dna_worklist_leaves_out_referrals_not_awaiting_rebooking(client, consultant):
    ReferralFactory(provider=consultant.organisation, status="accepted")
    body = client.get("/triage/worklists/dna-rebook/").content.decode()
    assert "data-referral=" not in body


def test_gp_advice_worklist_lists_questions_awaiting_their_reply(client):
    advice = AdviceRequestFactory()
    client.force_login(GPFactory(organisation=advice.practice))
    body = client.get("/triage/worklists/advice/").content.decode()
    assert f"/triage/advice/{advice.uuid}/" in body


def test_unknown_worklist_is_404(client, consultant):
    assert client.get("/triage/worklists/nonsense/").status_code == 404


def test_managers_are_refused_worklists(client):
    client.force_login(ManagerFactory())
    assert client.get("/triage/worklists/").status_code == 403


def test_navigation_shows_the_worklist_total(client, consultant):
    ReferralFactory.create_batch(3, provider=consultant.organisation)
    queue_recompute()
    body = client.get("/").content.decode()
    assert re.search(r'Worklists <span class="app-count" aria-label="3 items">3</span>', body)
