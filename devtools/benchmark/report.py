"""The benchmark's table: one row per measure, beside its raw-SQL baseline and target."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from devtools.benchmark import harness as bm


@dataclass
class Row:
    measure: str
    app: str
    raw: str = ""
    target: str = ""
    verdict: str = ""


@dataclass
class Report:
    referrals: int
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, *args, **kwargs) -> None:
        self.rows.append(Row(*args, **kwargs))

    def markdown(self, *, title: str) -> str:
        lines = [
            f"## {title}",
            "",
            f"{date.today():%Y-%m-%d}, {bm.machine_description()}, {self.referrals:,} referrals.",
            "",
            "| measure | Interface | raw SQL baseline | target | met |",
            "| --- | --- | --- | --- | --- |",
        ]
        lines += [
            f"| {r.measure} | {r.app} | {r.raw} | {r.target} | {r.verdict} |" for r in self.rows
        ]
        if self.notes:
            lines += ["", *[f"- {note}" for note in self.notes]]
        return "\n".join(lines) + "\n"


def verdict(ok: bool) -> str:
    return "yes" if ok else "**no**"
