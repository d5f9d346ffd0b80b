"""Prescribing's pure rules (docs/product.md §4): sectors, financial years, the discharge supply
rule, budget arithmetic and the lifecycles."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal

import pytest

from prescribing import rules
from prescribing.models import AgreementStatus, PrescriptionStatus


def test_sector_comes_from_the_kind_of_organisation():
    assert rules.sector_of("gp_practice") == "primary"
    assert rules.sector_of("community_provider") == "community"
    assert rules.sector_of("trust") == "secondary"
    assert rules.sector_of("pharmacy") is None


def test_a_committee_without_community_care_is_missing_that_sector():
    assert rules.committee_missing_sectors(["gp_practice", "trust"]) == ["community care"]


def test_a_committee_of_all_three_sectors_misses_none():
    assert rules.committee_missing_sectors(["trust", "community_provider", "gp_practice"]) == []


@pytest.mark.parametrize(
    ("day", "year"),
    [
        (datetime.date(2026, 4, 1), 2026),
        (datetime.date(2027, 3, 31), 2026),
        (datetime.date(2026, 3, 31), 2025),
    ],
)
def test_the_financial_year_runs_from_1_april_to_31_march(day, year):
    assert rules.financial_year_of(day) == year


def test_a_financial_year_is_named_by_its_start_and_the_next_year():
    assert rules.financial_year_label(2026) == "2026/27"
    assert rules.financial_year_label(2099) == "2099/00"
    assert rules.financial_year_parse("2026/27") == 2026


@pytest.mark.parametrize("text", ["2026", "2026/28", "26/27", "2026-27", "２０２６/27", ""])
def test_a_financial_year_not_written_as_start_slash_next_is_refused(text):
    with pytest.raises(ValueError, match=r"2026/27|not a financial year"):
        rules.financial_year_parse(text)


def test_a_discharge_item_under_7_days_without_a_reason_is_a_problem_naming_the_item():
    problem = rules.discharge_supply_problem(
        discharge=True, days_supplied=[14, 3], short_supply_reason=""
    )
    assert "item 2" in problem and "7 days" in problem


def test_a_clinical_reason_allows_a_short_discharge_supply():
    assert (
        rules.discharge_supply_problem(
            discharge=True, days_supplied=[3], short_supply_reason="Course ends in 3 days."
        )
        is None
    )


def test_a_short_supply_that_is_not_a_discharge_is_no_problem():
    assert (
        rules.discharge_supply_problem(discharge=False, days_supplied=[1], short_supply_reason="")
        is None
    )


def test_exactly_7_days_on_discharge_is_enough():
    assert (
        rules.discharge_supply_problem(discharge=True, days_supplied=[7], short_supply_reason="")
        is None
    )


def test_remaining_is_the_amount_less_spent_and_committed():
    assert rules.budget_remaining(
        amount=Decimal("1000.00"), spent=Decimal("250.10"), committed=Decimal("100.05")
    ) == Decimal("649.85")


def test_the_forecast_outturn_projects_the_run_rate_over_the_year():
    # 73 days of a 365-day year gone (1 April to 12 June inclusive): a fifth of the year.
    forecast = rules.forecast_outturn(
        spent=Decimal("150.00"),
        committed=Decimal("50.00"),
        financial_year=2026,
        today=datetime.date(2026, 6, 12),
    )
    assert forecast == Decimal("1000.00")


def test_the_forecast_outturn_of_a_year_over_or_not_begun_is_what_was_charged():
    for today in (datetime.date(2027, 5, 1), datetime.date(2026, 1, 1)):
        assert rules.forecast_outturn(
            spent=Decimal("10.00"), committed=Decimal("5.00"), financial_year=2026, today=today
        ) == Decimal("15.00")


def test_thresholds_are_reached_at_exactly_the_percentage():
    reached = rules.thresholds_reached(
        amount=Decimal("1000.00"), spent=Decimal("800.00"), thresholds=[80, 100]
    )
    assert reached == [80]
    assert (
        rules.thresholds_reached(
            amount=Decimal("1000.00"), spent=Decimal("799.99"), thresholds=[80, 100]
        )
        == []
    )


def test_an_issued_prescription_may_be_dispensed_or_cancelled_and_then_nothing():
    assert rules.prescription_can_become(PrescriptionStatus.ISSUED, PrescriptionStatus.DISPENSED)
    assert rules.prescription_can_become(PrescriptionStatus.ISSUED, PrescriptionStatus.CANCELLED)
    assert not rules.prescription_can_become(
        PrescriptionStatus.DISPENSED, PrescriptionStatus.CANCELLED
    )


def test_an_agreement_goes_proposed_accepted_active_ended():
    path = [
        AgreementStatus.PROPOSED,
        AgreementStatus.ACCEPTED,
        AgreementStatus.ACTIVE,
        AgreementStatus.ENDED,
    ]
    assert all(rules.agreement_can_become(a, b) for a, b in itertools.pairwise(path))
    assert not rules.agreement_can_become(AgreementStatus.DECLINED, AgreementStatus.ACCEPTED)
    assert not rules.agreement_can_become(AgreementStatus.PROPOSED, AgreementStatus.ACTIVE)


def test_monitoring_is_due_an_interval_after_the_last_booking_or_acceptance():
    accepted = datetime.date(2026, 5, 1)
    assert rules.monitoring_due_on(
        accepted_on=accepted, last_booked_on=None, interval_days=30
    ) == datetime.date(2026, 5, 31)
    assert rules.monitoring_due_on(
        accepted_on=accepted, last_booked_on=datetime.date(2026, 6, 1), interval_days=30
    ) == datetime.date(2026, 7, 1)
    assert rules.monitoring_due_on(accepted_on=None, last_booked_on=None, interval_days=30) is None
