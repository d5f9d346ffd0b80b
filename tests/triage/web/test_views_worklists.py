"""Worklists: counts, rows, the navigation total, and who may open them."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from tests.factories import (
    ConsultantFactory,
    DiagnosticsStaffFactory,
    GPFactory,
    ManagerFactory,
)
from tests.helpers import signed_in
from tests.triage.factories import AdviceRequestFactory, ReferralFactory, ReviewPanelFactory
from triage.services.queue import queue_recompute

pytestmark = pytest.mark.django_db


def days_ago(n):
    return timezone.localdate() - timedelta(days=n)


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


def nav_badge(body: str) -> int:
    return int(
        re.search(r'Worklists <span class="app-count" aria-label="\d+ items?">(\d+)<', body)[1]
    )


def test_navigation_badge_counts_a_referral_on_two_worklists_once(client, consultant):
    # Waiting 400 days and not reviewed: on "For review" and on "Harm reviews due".
    ReferralFactory(provider=consultant.organisation, clock_start=days_ago(400))
    queue_recompute()
    assert nav_badge(client.get("/").content.decode()) == 1


def test_navigation_badge_adds_advice_requests_to_the_distinct_referrals(client, consultant):
    ReferralFactory(provider=consultant.organisation, clock_start=days_ago(400))
    AdviceRequestFactory(direction="to_specialist", referral__provider=consultant.organisation)
    queue_recompute()
    # The question's referral awaits the GP's answer (advice requested): on no referral list.
    assert nav_badge(client.get("/").content.decode()) == 2


def test_navigation_badge_counts_panel_referrals_at_other_providers_once(client):
    panel = ReviewPanelFactory()
    clinician = panel.members.get(role="community_clinician")
    ReferralFactory(provider=panel.provider, panel=panel, clock_start=days_ago(400))
    queue_recompute()
    client.force_login(clinician)
    assert nav_badge(client.get("/").content.decode()) == 1


def test_a_gp_sees_only_the_worklist_of_questions_put_to_their_practice(client):
    client.force_login(GPFactory())
    body = client.get("/triage/worklists/").content.decode()
    assert re.findall(r'data-testid="worklist-([a-z-]+)"', body) == ["advice"]


def test_a_gp_on_a_panel_also_sees_the_panels_review_lists(client):
    panel = ReviewPanelFactory()
    client.force_login(panel.members.get(role="gp"))
    body = client.get("/triage/worklists/").content.decode()
    assert re.findall(r'data-testid="worklist-([a-z-]+)"', body) == [
        "for-review",
        "advice",
        "harm-reviews",
    ]


def test_a_consultant_sees_every_worklist(client, consultant):
    body = client.get("/triage/worklists/").content.decode()
    assert len(re.findall(r'data-testid="worklist-([a-z-]+)"', body)) == 5


def test_consultants_have_an_advice_and_guidance_link(client, consultant):
    assert 'href="/triage/advice/"' in client.get("/").content.decode()


def test_diagnostics_staff_have_no_worklists_link(client):
    client.force_login(DiagnosticsStaffFactory())
    assert 'href="/triage/worklists/"' not in client.get("/").content.decode()
