"""Pure queue rules: categories, targets and the date edges of docs/product.md §2."""

from datetime import date, timedelta

import pytest

from triage import rules


@pytest.mark.parametrize(
    ("category", "priority", "expected"),
    [
        (None, "two_week_wait", "2WW"),
        (None, "urgent", "P2"),
        (None, "routine", "P4"),
        ("P1a", "routine", "P1a"),
        ("P3", "two_week_wait", "P3"),
        ("P5", "urgent", "P2"),
    ],
)
def test_effective_category_is_reviewed_else_provisional(category, priority, expected):
    assert rules.effective_category(category, priority) == expected


@pytest.mark.parametrize(
    ("category", "days"), [("P1a", 1), ("P1b", 3), ("2WW", 14), ("P2", 28), ("P3", 91), ("P4", 126)]
)
def test_target_is_clock_start_plus_the_category_maximum_wait(category, days):
    assert (rules.target_date(date(2026, 1, 1), category) - date(2026, 1, 1)).days == days


def test_category_windows_come_from_settings(settings):
    settings.TRIAGE_CATEGORY_MAX_WAIT_DAYS = {**settings.TRIAGE_CATEGORY_MAX_WAIT_DAYS, "P4": 100}
    assert rules.target_date(date(2026, 1, 1), "P4") == date(2026, 4, 11)


def test_clock_start_today_has_waited_zero_days():
    today = date(2026, 11, 23)
    assert rules.days_waited(today, today) == 0
    assert rules.days_to_target(rules.target_date(today, "P2"), today) == 28


def test_exactly_at_target_is_not_breached():
    today = date(2026, 11, 23)
    assert rules.days_to_target(today, today) == 0
    assert not rules.is_breached(today, today)


def test_the_day_after_target_is_breached():
    assert rules.is_breached(date(2026, 11, 22), date(2026, 11, 23))
    assert rules.days_to_target(date(2026, 11, 22), date(2026, 11, 23)) == -1


def test_target_counts_the_leap_day():
    assert rules.target_date(date(2024, 2, 28), "P1a") == date(2024, 2, 29)
    assert rules.target_date(date(2024, 2, 1), "P2") == date(2024, 2, 29)


def test_days_waited_across_a_leap_year_counts_366_days():
    assert rules.days_waited(date(2024, 1, 1), date(2025, 1, 1)) == 366


def test_long_wait_starts_at_exactly_52_weeks():
    today = date(2026, 11, 23)
    assert not rules.is_long_wait(date(2025, 11, 25), today)  # 363 days
    assert rules.is_long_wait(date(2025, 11, 24), today)  # 364 days


@pytest.mark.parametrize(
    ("weeks", "milestone"), [(51, None), (52, 52), (77, 52), (78, 78), (104, 104), (200, 104)]
)
def test_long_wait_milestones(weeks, milestone):
    today = date(2026, 11, 23)
    start = date.fromordinal(today.toordinal() - weeks * 7)
    assert rules.long_wait_weeks(start, today) == milestone


@pytest.mark.parametrize(
    ("weeks", "band"),
    [(0, "0-18"), (17, "0-18"), (18, "18-52"), (52, "52-78"), (78, "78-104"), (104, "104+")],
)
def test_weeks_waited_bands(weeks, band):
    today = date(2026, 11, 23)
    assert rules.wait_band(date.fromordinal(today.toordinal() - weeks * 7), today) == band


def test_booked_referral_may_return_to_accepted_after_a_dna():
    assert rules.can_transition("booked", "accepted")


def test_closed_referral_cannot_reopen():
    assert not rules.can_transition("treated", "accepted")
    assert not rules.can_transition("cancelled", "awaiting_review")


def test_advice_requested_returns_only_to_review():
    assert rules.can_transition("advice_requested", "under_review")
    assert not rules.can_transition("advice_requested", "accepted")


@pytest.mark.parametrize(("category", "priority"), [("P5", "urgent"), ("P6", "routine")])
def test_a_patient_who_chose_to_wait_is_shown_as_p5_or_p6_not_by_the_gps_priority(
    category, priority
):
    assert rules.displayed_category(category, priority) == category


@pytest.mark.parametrize(
    ("category", "priority", "expected"),
    [(None, "urgent", "P2"), ("P3", "routine", "P3"), (None, "two_week_wait", "2WW")],
)
def test_displayed_category_is_the_effective_one_for_a_referral_in_the_queue(
    category, priority, expected
):
    assert rules.displayed_category(category, priority) == expected


@pytest.mark.parametrize(
    ("days", "weeks"), [(0, 0), (6, 0), (7, 1), (363, 51), (364, 52), (902, 128)]
)
def test_weeks_waited_are_completed_weeks_as_rtt_reporting_counts_them(days, weeks):
    # 902 days is 128.9 weeks: rounding to nearest said 129 on the referral page.
    assert rules.weeks_waited(date(2024, 1, 1), date(2024, 1, 1) + timedelta(days=days)) == weeks
