"""HTML-only shaping of the compliance figures: labels, percentages, the trend summed over
providers."""

from __future__ import annotations

from collections import defaultdict

from contracts import rules
from contracts.models import Duty


def percent(rate: float | None) -> str:
    return "–" if rate is None else f"{rate * 100:.0f}%"


def labelled(rows: list[dict]) -> list[dict]:
    return [
        {**row, "duty_label": Duty(row["duty"]).label, "percent": percent(row["on_time_rate"])}
        for row in rows
    ]


def trend_by_duty(weekly: list[dict]) -> list[dict]:
    """The weekly rows summed over providers: one row per week and duty."""
    sums: dict[tuple, dict] = defaultdict(
        lambda: {"met": 0, "met_late": 0, "overdue": 0, "breach_reports": 0}
    )
    for row in weekly:
        totals = sums[(row["week_start"], row["duty"])]
        for name in totals:
            totals[name] += row[name]
    rows = []
    for (week, duty), t in sorted(sums.items(), key=lambda item: (item[0][0], item[0][1])):
        rate = rules.on_time_rate(met=t["met"], met_late=t["met_late"], overdue=t["overdue"])
        rows.append(
            {
                "week_start": week,
                "duty": duty,
                "duty_label": Duty(duty).label,
                "due": t["met"] + t["met_late"] + t["overdue"],
                **t,
                "on_time_rate": rate,
                "percent": percent(rate),
            }
        )
    return rows
