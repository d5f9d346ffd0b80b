"""Compliance per provider and duty, and by week: the figures equal a recount from the
obligations and breach reports themselves (docs/product.md §5)."""

from __future__ import annotations

import random
from collections import Counter
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from contracts import rules
from contracts.models import Duty, Obligation, ObligationStatus
from contracts.selectors import (
    compliance_by_week,
    compliance_rows,
    compliance_scope_for,
    week_start,
)
from tests.contracts.factories import BreachReportFactory, DischargeFactory, ObligationFactory
from tests.factories import (
    ConsultantFactory,
    DiagnosticsStaffFactory,
    GPFactory,
    IcbFactory,
    ManagerFactory,
    TrustFactory,
)

pytestmark = pytest.mark.django_db


def mixed_obligations(trusts, *, n: int = 60, seed: int = 7) -> None:
    """Obligations of every state, due over the last weeks and the next day."""
    rng = random.Random(seed)
    now = timezone.now()
    for _ in range(n):
        trust = rng.choice(trusts)
        duty = rng.choice([Duty.DISCHARGE_SUMMARY, Duty.DISCHARGE_MEDICATION, Duty.FIT_NOTE])
        event = now - timedelta(hours=rng.randint(1, 24 * 60))
        due = rules.due_at(duty, event)
        state = rng.choice(["open", "met", "met_late"])
        fulfilled = None
        if state == "met":
            fulfilled = min(due, now)
        elif state == "met_late" and due < now:
            fulfilled = due + (now - due) / 2
        status = (
            rules.fulfilment_status(due=due, at=fulfilled) if fulfilled else ObligationStatus.OPEN
        )
        ObligationFactory(
            duty=duty,
            discharge=DischargeFactory(provider=trust, discharged_at=event),
            event_at=event,
            due_at=due,
            status=status,
            fulfilled_at=fulfilled,
        )
    for _ in range(n // 6):
        BreachReportFactory(
            provider=rng.choice(trusts),
            duty=rng.choice([Duty.REREFERRAL_AFTER_DNA, Duty.ONWARD_REFERRAL]),
            occurred_on=timezone.localdate() - timedelta(days=rng.randint(0, 60)),
        )


def recount(now) -> dict[tuple[str, str], Counter]:
    counts: dict[tuple[str, str], Counter] = {}
    for o in Obligation.objects.select_related("provider"):
        status = rules.current_status(due=o.due_at, fulfilled_at=o.fulfilled_at, now=now)
        counts.setdefault((o.provider.ods_code, o.duty), Counter())[status] += 1
    from contracts.models import BreachReport

    for r in BreachReport.objects.select_related("provider"):
        counts.setdefault((r.provider.ods_code, r.duty), Counter())["breach_reports"] += 1
    return counts


def test_the_figures_equal_a_recount_from_the_obligations():
    trusts = [TrustFactory(), TrustFactory()]
    mixed_obligations(trusts)
    now = timezone.now()

    rows = compliance_rows(now=now)

    expected = recount(now)
    assert {(r["provider"], r["duty"]) for r in rows} == set(expected)
    for row in rows:
        c = expected[(row["provider"], row["duty"])]
        assert (row["met"], row["met_late"], row["overdue"], row["open"]) == (
            c["met"],
            c["met_late"],
            c["overdue"],
            c["open"],
        )
        assert row["breach_reports"] == c["breach_reports"]
        assert row["due"] == c["met"] + c["met_late"] + c["overdue"]
        if row["due"]:
            assert row["on_time_rate"] == round(c["met"] / row["due"], 4)
            assert 0 <= row["on_time_rate"] <= 1
        else:
            assert row["on_time_rate"] is None


def test_the_weekly_trend_adds_up_to_what_fell_due_in_those_weeks():
    trusts = [TrustFactory()]
    mixed_obligations(trusts, n=40)
    now = timezone.now()
    weekly = compliance_by_week(weeks=12, now=now)
    first = week_start(timezone.localdate(now)) - timedelta(weeks=11)
    fell_due = [
        o
        for o in Obligation.objects.all()
        if o.due_at < now and timezone.localdate(o.due_at) >= first
    ]
    assert sum(r["due"] for r in weekly) == len(fell_due)
    for row in weekly:
        assert row["week_start"].weekday() == 0
        in_week = [
            o
            for o in fell_due
            if week_start(timezone.localdate(o.due_at)) == row["week_start"]
            and o.duty == row["duty"]
        ]
        assert row["due"] == len(in_week)


def test_a_manager_sees_only_their_icbs_providers():
    icb = IcbFactory()
    ours, theirs = TrustFactory(icb=icb), TrustFactory()
    ObligationFactory(discharge=DischargeFactory(provider=ours))
    ObligationFactory(discharge=DischargeFactory(provider=theirs))
    scope = compliance_scope_for(ManagerFactory(organisation=icb))
    assert [r["provider"] for r in compliance_rows(**scope)] == [ours.ods_code]


def test_a_provider_clinician_sees_their_own_organisation():
    consultant = ConsultantFactory()
    ObligationFactory(discharge=DischargeFactory(provider=consultant.organisation))
    ObligationFactory(
        discharge=DischargeFactory(provider=TrustFactory(icb=consultant.organisation.icb))
    )
    rows = compliance_rows(**compliance_scope_for(consultant))
    assert [r["provider"] for r in rows] == [consultant.organisation.ods_code]


def test_a_gp_sees_their_icbs_providers():
    gp = GPFactory()
    local = TrustFactory(icb=gp.organisation.icb)
    ObligationFactory(discharge=DischargeFactory(provider=local))
    ObligationFactory(discharge=DischargeFactory(provider=TrustFactory()))
    rows = compliance_rows(**compliance_scope_for(gp))
    assert [r["provider"] for r in rows] == [local.ods_code]


def test_diagnostics_staff_are_refused():
    with pytest.raises(PermissionDenied):
        compliance_scope_for(DiagnosticsStaffFactory())


def test_breach_reports_count_toward_the_providers_compliance():
    trust = TrustFactory()
    BreachReportFactory(provider=trust, duty=Duty.ONWARD_REFERRAL)
    BreachReportFactory(provider=trust, duty=Duty.ONWARD_REFERRAL)
    [row] = compliance_rows(provider_ids=[trust.pk])
    assert (row["duty"], row["breach_reports"], row["on_time_rate"]) == ("onward_referral", 2, None)
