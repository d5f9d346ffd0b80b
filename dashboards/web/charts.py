"""The charts' data, for ``json_script``: one dict per chart that static/js/dashboards.js
draws. Labels and figures only; the links are the drill-downs of the chart's table."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date


def chart(
    chart_id: str,
    *,
    kind: str,
    labels: Sequence[str],
    datasets: Sequence[tuple[str, Sequence]],
    links: Sequence[str | None] = (),
    x_title: str = "",
    y_title: str = "",
    stacked: bool = False,
    percent: bool = False,
) -> dict:
    """``kind``: "line", "bar" (vertical) or "hbar" (horizontal bars)."""
    return {
        "id": chart_id,
        "kind": kind,
        "labels": list(labels),
        "datasets": [
            {"label": label, "data": [_number(v) for v in data]} for label, data in datasets
        ],
        "links": list(links),
        "x_title": x_title,
        "y_title": y_title,
        "stacked": stacked,
        "percent": percent,
    }


def _number(value):
    if value is None:
        return None
    return float(value) if not isinstance(value, int) else value


def day_label(day: date) -> str:
    return f"{day:%-d %b %Y}"
