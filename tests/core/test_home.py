"""The home page says what needs each role now, with counts from summaries or small counts."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from core.home import counted, with_article
from tests.factories import (
    CommunityClinicianFactory,
    ConsultantFactory,
    DiagnosticsStaffFactory,
    GPFactory,
    ManagerFactory,
    PatientFactory,
    TrustFactory,
    UserFactory,
)
from tests.triage.factories import AdviceRequestFactory, ReferralFactory, ReviewPanelFactory
from triage.models import Referral
from triage.services.queue import queue_recompute

pytestmark = pytest.mark.django_db


def days_ago(n):
    return timezone.localdate() - timedelta(days=n)


def card(body: str, testid: str) -> str:
    # Up to the next card: a card may hold a list of its own.
    pattern = rf'data-testid="home-{testid}".*?(?=<li class="nhsuk-grid-column|</main>)'
    return re.search(pattern, body, re.S).group(0)


def count_of(body: str, testid: str) -> int:
    return int(re.search(r'data-testid="home-count">([\d,]+)<', card(body, testid))[1])


def sentence_of(body: str, testid: str) -> str:
    return re.search(r'data-testid="home-sentence">([^<]*)<', card(body, testid))[1]


def home(client, user) -> str:
    client.force_login(user)
    return client.get("/").content.decode()


@pytest.fixture
def gp():
    return GPFactory()


def referral_of(gp, **kwargs) -> Referral:
    return ReferralFactory(patient=PatientFactory(registered_practice=gp.organisation), **kwargs)


def test_gp_home_counts_the_questions_from_consultants_awaiting_their_reply(client, gp):
    AdviceRequestFactory.create_batch(2, practice=gp.organisation)
    AdviceRequestFactory(practice=gp.organisation, status="answered")
    body = home(client, gp)
    assert (count_of(body, "gp-questions"), sentence_of(body, "gp-questions")) == (
        2,
        "2 questions from consultants await your reply.",
    )


def test_gp_home_counts_referrals_returned_to_the_practice_in_the_last_30_days(client, gp):
    referral_of(gp, status="returned_to_referrer")
    old = referral_of(gp, status="returned_to_referrer")
    Referral.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=31))
    ReferralFactory(status="returned_to_referrer")  # another practice's
    body = home(client, gp)
    assert sentence_of(body, "gp-returned") == (
        "1 referral was returned to your practice in the last 30 days."
    )


def test_gp_home_lists_the_practices_five_longest_waits_longest_first(client, gp):
    waits = [referral_of(gp, clock_start=days_ago(100 + n)) for n in range(6)]
    referral_of(gp, clock_start=days_ago(900), status="treated")  # closed: not waiting
    body = card(home(client, gp), "gp-longest")
    shown = re.findall(r'href="/triage/referrals/([0-9a-f-]+)/"', body)
    assert shown == [str(r.uuid) for r in reversed(waits[1:])]


def test_gp_home_audits_each_patient_it_names(client, gp):
    waiting = referral_of(gp)
    returned = referral_of(gp, status="returned_to_referrer")
    home(client, gp)
    listed = AuditEvent.objects.filter(user=gp, action="list", object_type="referral")
    assert sorted(listed.values_list("patient_id", flat=True)) == sorted(
        [waiting.patient_id, returned.patient_id]
    )


def test_consultant_home_counts_referrals_to_review_harm_reviews_and_advice(client):
    trust = TrustFactory()
    ReferralFactory.create_batch(2, provider=trust)
    ReferralFactory(provider=trust, clock_start=days_ago(400))
    AdviceRequestFactory(direction="to_specialist", referral__provider=trust)
    queue_recompute()
    body = home(client, ConsultantFactory(organisation=trust))
    counts = [count_of(body, slug) for slug in ("for-review", "harm-reviews", "advice")]
    assert counts == [3, 1, 1]


def test_community_clinician_home_counts_their_panels_referrals(client):
    panel = ReviewPanelFactory()
    ReferralFactory(provider=panel.provider, panel=panel)
    queue_recompute()
    body = home(client, panel.members.get(role="community_clinician"))
    assert sentence_of(body, "for-review") == (
        "1 referral on your panels and in your services awaits clinical review."
    )


def test_manager_home_shows_their_icbs_headline_backlog_from_the_summary(client):
    mine = ReferralFactory(clock_start=days_ago(400))
    ReferralFactory(provider=mine.provider, category="P3")
    ReferralFactory()  # another ICB's provider
    queue_recompute()
    ReferralFactory(provider=mine.provider)  # after the recomputation: not in the summary yet
    body = home(client, ManagerFactory(organisation=mine.provider.icb))
    counts = [count_of(body, f"backlog-{s}") for s in ("open", "waits-52", "breached")]
    assert (counts, count_of(body, "backlog-unreviewed")) == ([2, 1, 1], 1)


def test_manager_home_says_as_of_when(client):
    ReferralFactory()
    queue_recompute()
    manager = ManagerFactory(organisation=Referral.objects.get().provider.icb)
    assert "as of " in sentence_of(home(client, manager), "backlog-open")
    assert "today." in sentence_of(home(client, manager), "backlog-open")


def test_diagnostics_home_counts_the_hubs_patients_to_see_today(client):
    # The counts themselves are tested in tests/diagnostics/web/test_home_and_navigation.py.
    body = home(client, DiagnosticsStaffFactory())
    assert count_of(body, "diagnostics-to-attend") == 0
    assert "When diagnostics lands" not in body


def test_admin_home_links_users_organisations_and_the_admin_site(client):
    admin = UserFactory(role="admin", organisation=None, is_staff=True)
    body = home(client, admin)
    links = [
        re.search(r'href="([^"]+)"', card(body, c))[1]
        for c in ("admin-users", "admin-organisations", "admin-site")
    ]
    assert links == ["/admin/directory/user/", "/admin/directory/organisation/", "/admin/"]


@pytest.mark.parametrize(
    ("factory", "phrase"),
    [
        (ManagerFactory, "You are signed in as an ICB manager"),
        (
            lambda: UserFactory(role="admin", organisation=None),
            "You are signed in as an Administrator",
        ),
        (GPFactory, "You are signed in as a GP"),
        (DiagnosticsStaffFactory, "You are signed in as a member of the diagnostics staff"),
        (CommunityClinicianFactory, "You are signed in as a Community clinician"),
    ],
)
def test_home_names_the_role_with_the_right_article(client, factory, phrase):
    assert phrase in home(client, factory())


@pytest.mark.parametrize(
    ("noun", "expected"),
    [("ICB manager", "an ICB manager"), ("Administrator", "an Administrator"), ("GP", "a GP")],
)
def test_with_article_goes_by_the_sound(noun, expected):
    assert with_article(noun) == expected


def test_counted_agrees_the_noun_with_the_count():
    assert [counted(n, "question") for n in (0, 1, 1234)] == [
        "no questions",
        "1 question",
        "1,234 questions",
    ]
