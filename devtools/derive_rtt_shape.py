"""Derive ``devtools/data/rtt_shape.csv`` from NHS England's RTT incomplete-pathways statistics.

Run once, by hand, when a new month's figures are wanted (the app never reads the source):

    python devtools/derive_rtt_shape.py RTT_INCOMPLETE_BY_PROVIDER.csv [--output PATH]

The source is NHS England's RTT waiting times statistics, incomplete pathways by provider and
treatment function, one row per provider × treatment function with the columns ``region_code``,
``provider_code``, ``provider_name``, ``treatment_function_code`` (``C_100`` …),
``total_incomplete_pathways``, ``total_within_18_weeks``, ``median_wait_weeks``,
``p92_wait_weeks``, ``total_52_plus``, ``total_65_plus``, ``total_78_plus`` and
``reporting_month``. The output goes to ``devtools/data/rtt_shape.csv`` unless ``--output``
names another file (``-`` for standard output).

One output row per provider × treatment function that our TreatmentFunction table holds (the
``C_`` codes). Dropped: the provider total rows (``C_999``), the "Other" groups (``X02``–``X06``,
which are not single treatment functions) and services with no waiting pathways. Where a small
service has no published median or 92nd percentile, the provider's total row fills it in and
``shape_from`` says so. Source: NHS England RTT waiting times statistics, Open Government
Licence v3.0.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

DEFAULT_OUTPUT = Path(__file__).resolve().parent / "data" / "rtt_shape.csv"

COLUMNS = (
    "region_code",
    "provider_code",
    "provider_name",
    "treatment_function",
    "pathways",
    "share_within_18",
    "median_weeks",
    "p92_weeks",
    "share_52_plus",
    "share_65_plus",
    "share_78_plus",
    "shape_from",
    "reporting_month",
)


def _share(part: str, whole: int) -> str:
    return f"{int(part or 0) / whole:.6f}" if whole else "0"


def derive(source: str, out) -> int:
    with open(source, newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    totals = {r["provider_code"]: r for r in rows if r["treatment_function_code"] == "C_999"}
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    written = 0
    for row in sorted(rows, key=lambda r: (r["provider_code"], r["treatment_function_code"])):
        code = row["treatment_function_code"]
        pathways = int(row["total_incomplete_pathways"] or 0)
        if not code.startswith("C_") or code == "C_999" or pathways == 0:
            continue
        shape_from = "service"
        median, p92 = row["median_wait_weeks"], row["p92_wait_weeks"]
        if not median or not p92:
            total = totals[row["provider_code"]]
            median, p92, shape_from = (
                total["median_wait_weeks"],
                total["p92_wait_weeks"],
                "provider",
            )
        writer.writerow(
            [
                row["region_code"],
                row["provider_code"],
                row["provider_name"],
                code.removeprefix("C_"),
                pathways,
                _share(row["total_within_18_weeks"], pathways),
                f"{float(median):.2f}",
                f"{float(p92):.2f}",
                _share(row["total_52_plus"], pathways),
                _share(row["total_65_plus"], pathways),
                _share(row["total_78_plus"], pathways),
                shape_from,
                row["reporting_month"],
            ]
        )
        written += 1
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("source", help="NHS England RTT incomplete pathways by provider (CSV)")
    parser.add_argument(
        "--output",
        "-o",
        default=str(DEFAULT_OUTPUT),
        help="where to write the shapes ('-' for standard output; default: %(default)s)",
    )
    args = parser.parse_args(argv)
    if args.output == "-":
        count = derive(args.source, sys.stdout)
    else:
        with open(args.output, "w", newline="", encoding="utf-8") as out:
            count = derive(args.source, out)
    print(f"{count} services", file=sys.stderr)


if __name__ == "__main__":
    main()
