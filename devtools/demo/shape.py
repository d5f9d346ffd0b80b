"""Service shapes from ``devtools/data/rtt_shape.csv`` (see docs/data.md).

The file holds, per provider × treatment function, the number of waiting pathways and the
published wait distribution (share within 18 weeks, median, 92nd percentile, shares waiting 52,
65 and 78 weeks or more), derived once by ``devtools/derive_rtt_shape.py``. Waits are drawn from
the piecewise-linear distribution through exactly those points, so a large sample reproduces
each service's published median and 92nd percentile.
"""

from __future__ import annotations

import bisect
import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

SHAPE_PATH = Path(__file__).resolve().parent.parent / "data" / "rtt_shape.csv"
# March 2026 shows almost no waits past 78 weeks and none past 104; the demo keeps a small tail
# (0.25% past 104 weeks, 0.5% past 78) so the long-wait and harm-review screens have patients.
DEMO_SHARE_104_PLUS = 0.0025
DEMO_FLOOR_78_PLUS = 0.005
LONGEST_WAIT_WEEKS = 130


@dataclass(frozen=True)
class ServiceShape:
    """One service's share of the list and its wait distribution (weeks at cumulative share)."""

    provider_code: str
    treatment_function: str
    pathways: int
    probabilities: tuple[float, ...]
    weeks: tuple[float, ...]

    def wait_days(self, u: float) -> int:
        """The wait at cumulative share ``u`` (0 ≤ u < 1), in whole days."""
        i = bisect.bisect_right(self.probabilities, u) - 1
        i = min(max(i, 0), len(self.probabilities) - 2)
        p0, p1 = self.probabilities[i], self.probabilities[i + 1]
        w0, w1 = self.weeks[i], self.weeks[i + 1]
        weeks = w0 + (u - p0) / (p1 - p0) * (w1 - w0) if p1 > p0 else w0
        return int(weeks * 7)


def _knots(row: dict[str, str]) -> tuple[tuple[float, ...], tuple[float, ...]]:
    s78 = max(float(row["share_78_plus"]), DEMO_FLOOR_78_PLUS)
    s65 = max(float(row["share_65_plus"]), s78)
    s52 = max(float(row["share_52_plus"]), s65)
    points = sorted(
        [
            (0.0, 0.0),
            (float(row["share_within_18"]), 18.0),
            (0.5, float(row["median_weeks"])),
            (0.92, float(row["p92_weeks"])),
            (1 - s52, 52.0),
            (1 - s65, 65.0),
            (1 - s78, 78.0),
            (1 - DEMO_SHARE_104_PLUS, 104.0),
            (1.0, float(LONGEST_WAIT_WEEKS)),
        ]
    )
    # Published figures are rounded: keep the distribution monotone by dropping any point
    # that would make the wait fall as the share rises.
    kept = [points[0]]
    for p, w in points[1:]:
        if p > kept[-1][0] and w >= kept[-1][1]:
            kept.append((p, w))
    if kept[-1][0] < 1.0:
        kept.append((1.0, float(LONGEST_WAIT_WEEKS)))
    return tuple(p for p, _ in kept), tuple(w for _, w in kept)


def rtt_shapes(provider_codes: Sequence[str] | None = None) -> list[ServiceShape]:
    """Service shapes from ``devtools/data/rtt_shape.csv``, optionally for some providers only."""
    wanted = set(provider_codes) if provider_codes is not None else None
    shapes = []
    with SHAPE_PATH.open(newline="") as handle:
        for row in csv.DictReader(handle):
            if wanted is not None and row["provider_code"] not in wanted:
                continue
            probabilities, weeks = _knots(row)
            shapes.append(
                ServiceShape(
                    row["provider_code"],
                    row["treatment_function"],
                    int(row["pathways"]),
                    probabilities,
                    weeks,
                )
            )
    return shapes


def shape_for(shape: ServiceShape, *, provider_code: str, share: float) -> ServiceShape:
    """A trust's service shape lent to another provider (community services are not in the RTT
    provider tables), with ``share`` of its pathways."""
    return ServiceShape(
        provider_code,
        shape.treatment_function,
        max(1, int(shape.pathways * share)),
        shape.probabilities,
        shape.weeks,
    )
