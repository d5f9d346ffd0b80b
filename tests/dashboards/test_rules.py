"""The dashboards' arithmetic (dashboards/rules.py), and the forecast checked against a
patient-by-patient simulation (docs/dashboards.md, "How the forecast was checked")."""

from __future__ import annotations

import datetime
import math
import random
import statistics

import pytest

from dashboards import rules

START = datetime.date(2026, 4, 6)


@pytest.mark.parametrize(
    ("weeks", "band"),
    [(0, "0-18"), (17, "0-18"), (18, "18-52"), (51, "18-52"), (52, "52-78"), (78, "78-104"),
     (103, "78-104"), (104, "104+"), (300, "104+")],
)  # fmt: skip
def test_bands_are_half_open_in_completed_weeks(weeks, band):
    assert rules.band_of(weeks) == band


def test_target_queue_size_is_demand_times_target_wait_over_four():
    assert rules.target_queue_size(100, 18) == 450


def test_load_is_demand_over_capacity_and_none_without_capacity():
    assert rules.load_of(120, 100) == 1.2
    assert rules.load_of(120, 0) is None


def test_relief_capacity_clears_the_excess_by_the_date_on_top_of_the_gap():
    # 1,000 over target in 20 weeks = 50 a week, plus 10 a week of demand over capacity.
    assert (
        rules.relief_capacity(queue_size=1450, target=450, demand=100, capacity=90, weeks=20) == 60
    )


def test_relief_capacity_is_never_below_nothing():
    assert rules.relief_capacity(queue_size=100, target=450, demand=80, capacity=100, weeks=4) == 0


def test_getting_worse_needs_the_rise_several_weeks_running():
    assert rules.getting_worse(mean_waits=[10, 11, 12, 13], breaches=[5, 5, 5, 5], weeks_running=3)
    assert not rules.getting_worse(
        mean_waits=[10, 11, 10, 13], breaches=[5, 6, 5, 6], weeks_running=3
    )
    assert rules.getting_worse(mean_waits=[9, 9, 9, 9], breaches=[1, 2, 3, 4], weeks_running=3)
    assert not rules.getting_worse(mean_waits=[12, 13], breaches=[1, 2], weeks_running=3)


def test_at_balance_the_list_keeps_its_size():
    rows = rules.forecast([10] * 20, demand=50, capacity=50, weeks=26, start=START)
    assert all(math.isclose(r.queue_size, 200) for r in rows)


def test_the_forecast_rows_are_a_week_apart():
    rows = rules.forecast([1], demand=0, capacity=0, weeks=3, start=START)
    assert [r.week_start for r in rows] == [START + datetime.timedelta(weeks=n) for n in (1, 2, 3)]


def test_the_longest_waiters_are_removed_first():
    histogram = [0] * 105
    histogram[10], histogram[60] = 5, 5
    (row,) = rules.forecast(histogram, demand=0, capacity=5, weeks=1, start=START)
    assert (row.queue_size, row.over_52_weeks, row.over_18_weeks) == (5, 0, 0)


def test_waits_past_104_weeks_stay_in_the_last_slot():
    histogram = [0] * 105
    histogram[104] = 3
    rows = rules.forecast(histogram, demand=0, capacity=0, weeks=4, start=START)
    assert rows[-1].over_52_weeks == 3


# The check: the model against a simulation of individual patients.


def _poisson(rng: random.Random, mean: float) -> int:
    """Knuth's method: fine for the means used here (up to a few hundred)."""
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def _simulate(histogram, *, arrivals, removals, weeks):
    """Patients one by one: each has the week their clock started; a week's referrals join at
    0 weeks waited and a week's removals take the patients with the earliest clock starts."""
    waiting = []
    for weeks_waited, count in enumerate(histogram):
        waiting += [-weeks_waited] * count
    waiting.sort()
    rows = []
    for week in range(1, weeks + 1):
        waiting += [week] * arrivals(week)
        del waiting[: removals(week)]
        waits = [week - start for start in waiting]
        rows.append(
            (len(waits), sum(1 for w in waits if w >= 18), sum(1 for w in waits if w >= 52))
        )
    return rows


def _starting_list() -> list[int]:
    # A list of 3,000 with a long tail, like a specialty's RTT list.
    return [max(0, round(80 * math.exp(-w / 20))) for w in range(105)]


def test_the_model_matches_a_patient_simulation_at_steady_flows():
    histogram = _starting_list()
    model = rules.forecast(histogram, demand=120, capacity=110, weeks=26, start=START)
    simulated = _simulate(histogram, arrivals=lambda w: 120, removals=lambda w: 110, weeks=26)
    for row, (queue, over_18, over_52) in zip(model, simulated, strict=True):
        assert (row.queue_size, row.over_18_weeks, row.over_52_weeks) == (queue, over_18, over_52)


@pytest.mark.parametrize(("demand", "capacity"), [(120, 100), (100, 115), (100, 100)])
def test_the_model_matches_the_mean_of_random_patient_simulations(demand, capacity):
    """Referrals and removals arrive at random (Poisson) around the weekly means; the mean of
    200 simulated lists stays within 2% of the model's list, and within 2% of the list (or a
    handful of patients) for the 18- and 52-week waits, every week of the 26."""
    histogram = _starting_list()
    model = rules.forecast(histogram, demand=demand, capacity=capacity, weeks=26, start=START)
    rng = random.Random(2026)
    runs = [
        _simulate(
            histogram,
            arrivals=lambda w: _poisson(rng, demand),
            removals=lambda w: _poisson(rng, capacity),
            weeks=26,
        )
        for _ in range(200)
    ]
    for week, row in enumerate(model):
        queue = statistics.fmean(run[week][0] for run in runs)
        over_18 = statistics.fmean(run[week][1] for run in runs)
        over_52 = statistics.fmean(run[week][2] for run in runs)
        tolerance = max(5.0, 0.02 * row.queue_size)
        assert abs(queue - row.queue_size) <= tolerance, (week, queue, row.queue_size)
        assert abs(over_18 - row.over_18_weeks) <= tolerance, (week, over_18, row.over_18_weeks)
        assert abs(over_52 - row.over_52_weeks) <= tolerance, (week, over_52, row.over_52_weeks)


@pytest.mark.parametrize(("demand", "capacity"), [(120, 100), (100, 130), (0, 0), (40, 5000)])
def test_the_fast_forecast_is_the_weekly_step_again_and_again(demand, capacity):
    histogram = [float(v) for v in _starting_list()]
    stepped = []
    current = histogram
    for _ in range(30):
        current = rules.forecast_step(current, demand=demand, capacity=capacity)
        stepped.append((sum(current), rules.over(current, 18), rules.over(current, 52)))
    fast = rules.forecast_totals(histogram, demand=demand, capacity=capacity, weeks=30)
    for (a, b, c), (x, y, z) in zip(stepped, fast, strict=True):
        assert math.isclose(a, x) and math.isclose(b, y) and math.isclose(c, z)


def test_extra_capacity_is_shared_by_demand():
    assert rules.share(30, [10, 20]) == [10, 20]
    assert rules.share(30, [0, 0]) == [15, 15]
