"""The backlog summary matches live counts after every recomputation."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from tests.factories import ConsultantFactory, ManagerFactory, TrustFactory
from tests.triage.factories import ReferralFactory, treatment_function
from triage import rules
from triage.models import OPEN_Q, BacklogSummary, Referral
from triage.selectors.backlog import (
    backlog_headline,
    backlog_summaries_visible_to,
    backlog_totals,
)
from triage.services.queue import queue_recompute, queue_recompute_service

pytestmark = pytest.mark.django_db


def days_ago(n):
    return timezone.localdate() - timedelta(days=n)


def live_counts(provider) -> dict[str, int]:
    today = timezone.localdate()
    open_referrals = list(Referral.objects.filter(OPEN_Q, provider=provider))
    bands = [rules.wait_band(r.clock_start, today) for r in open_referrals]
    return {
        "open_referrals": len(open_referrals),
        "deferred": sum(r.deferred for r in open_referrals),
        "unreviewed": sum(r.category is None for r in open_referrals),
        "breached": sum(
            not r.deferred and rules.is_breached(r.target_date, today) for r in open_referrals
        ),
        "waits_52_plus": sum(rules.is_long_wait(r.clock_start, today) for r in open_referrals),
        "waits_78_plus": sum((today - r.clock_start).days >= 78 * 7 for r in open_referrals),
        "waits_104_plus": sum((today - r.clock_start).days >= 104 * 7 for r in open_referrals),
        "band_0_18": bands.count("0-18"),
        "band_18_52": bands.count("18-52"),
        "band_52_78": bands.count("52-78"),
        "band_78_104": bands.count("78-104"),
        "band_104_plus": bands.count("104+"),
    }


def test_summary_matches_live_counts_at_every_band_edge():
    trust = TrustFactory()
    for days in (0, 125, 126, 363, 364, 545, 546, 727, 728, 900):
        ReferralFactory(provider=trust, clock_start=days_ago(days))
    ReferralFactory(
        provider=trust,
        clock_start=days_ago(50),
        category="P2",
        treatment_function=treatment_function("120"),
    )
    ReferralFactory(provider=trust, clock_start=days_ago(50), status="treated")
    ReferralFactory(
        provider=trust,
        clock_start=days_ago(500),
        category="P5",
        deferred=True,
        contact_on=days_ago(-30),
    )
    queue_recompute()
    totals = backlog_totals(BacklogSummary.objects.filter(provider=trust))
    live = live_counts(trust)
    assert {name: totals[name] for name in live} == live


def test_summary_has_one_row_per_service():
    trust = TrustFactory()
    ReferralFactory(provider=trust)
    ReferralFactory(provider=trust, treatment_function=treatment_function("120"))
    queue_recompute()
    assert BacklogSummary.objects.filter(provider=trust).count() == 2


def test_summary_follows_a_closed_referral_at_the_next_recompute():
    referral = ReferralFactory()
    queue_recompute()
    Referral.objects.filter(pk=referral.pk).update(status="treated")
    queue_recompute()
    assert backlog_totals(BacklogSummary.objects.all())["open_referrals"] == 0


def test_manager_sees_the_totals_of_their_icbs_providers_only():
    mine = ReferralFactory()
    ReferralFactory()
    queue_recompute()
    manager = ManagerFactory(organisation=mine.provider.icb)
    assert backlog_totals(backlog_summaries_visible_to(manager))["open_referrals"] == 1


def test_consultant_sees_their_own_trusts_totals():
    mine = ReferralFactory()
    ReferralFactory()
    queue_recompute()
    consultant = ConsultantFactory(organisation=mine.provider)
    assert backlog_totals(backlog_summaries_visible_to(consultant))["open_referrals"] == 1


def test_navigation_counts_for_a_consultant_come_from_the_summary_and_match_the_worklists():
    from triage.selectors import WORKLISTS, worklist_counts, worklist_queryset

    trust = TrustFactory()
    ReferralFactory.create_batch(2, provider=trust)  # for review
    ReferralFactory(provider=trust, status="accepted", category="P3")  # awaiting booking
    ReferralFactory(
        provider=trust, status="accepted", category="P3", awaiting_rebook=True, dna_count=1
    )
    ReferralFactory(provider=trust, clock_start=days_ago(400))  # harm review due, and for review
    queue_recompute()
    consultant = ConsultantFactory(organisation=trust)
    live = {w.slug: worklist_queryset(consultant, w.slug).count() for w in WORKLISTS}
    assert worklist_counts(consultant) == live
    assert live == {
        "for-review": 3,
        "advice": 0,
        "awaiting-booking": 1,
        "dna-rebook": 1,
        "harm-reviews": 1,
    }


def test_needs_action_counts_a_referral_on_two_worklists_once():
    trust = TrustFactory()
    ReferralFactory(provider=trust, clock_start=days_ago(400))  # for review and harm review due
    ReferralFactory(provider=trust, status="accepted", category="P3")  # awaiting booking
    ReferralFactory(provider=trust, status="treated")  # closed: on no list
    queue_recompute()
    totals = backlog_totals(BacklogSummary.objects.filter(provider=trust))
    listed = totals["for_review"] + totals["awaiting_booking"] + totals["harm_review_due"]
    assert (listed, totals["needs_action"]) == (3, 2)


def test_needs_action_matches_the_distinct_referrals_on_the_live_worklists():
    from triage.selectors import WORKLISTS, worklist_queryset

    trust = TrustFactory()
    ReferralFactory.create_batch(2, provider=trust)
    ReferralFactory(
        provider=trust, status="accepted", category="P3", awaiting_rebook=True, dna_count=1
    )
    ReferralFactory(provider=trust, clock_start=days_ago(400))
    ReferralFactory(provider=trust, category="P5", deferred=True, contact_on=days_ago(-30))
    queue_recompute()
    consultant = ConsultantFactory(organisation=trust)
    distinct = {
        pk
        for w in WORKLISTS
        if w.slug != "advice"
        for pk in worklist_queryset(consultant, w.slug).values_list("pk", flat=True)
    }
    assert backlog_totals(BacklogSummary.objects.filter(provider=trust))["needs_action"] == len(
        distinct
    )


def test_each_summary_row_records_when_it_was_computed():
    ReferralFactory()
    moment = datetime(2026, 3, 2, 2, 0, tzinfo=ZoneInfo("Europe/London"))
    with time_machine.travel(moment, tick=False):
        queue_recompute()
    assert BacklogSummary.objects.get().computed_at == moment


def test_headline_total_leaves_out_the_deferred_and_gives_the_oldest_computation():
    trust = TrustFactory()
    ReferralFactory(provider=trust)
    ReferralFactory(provider=trust, category="P5", deferred=True, contact_on=days_ago(-30))
    ReferralFactory(provider=trust, treatment_function=treatment_function("120"))
    first = datetime(2026, 3, 2, 2, 0, tzinfo=ZoneInfo("Europe/London"))
    with time_machine.travel(first, tick=False):
        queue_recompute()
    with time_machine.travel(first + timedelta(hours=3), tick=False):
        queue_recompute_service(trust.pk, "120")
    headline = backlog_headline(ConsultantFactory(organisation=trust))
    assert (headline.queue_total, headline.computed_at, headline.services) == (2, first, 2)
