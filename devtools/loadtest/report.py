"""The load and fault test's report: Markdown, ready for docs/benchmarks.md."""

from __future__ import annotations

from devtools.loadtest.run import PHASES, PhaseResult


def _statuses(statuses: dict[int, int]) -> str:
    return ", ".join(
        f"{'no answer' if status == 0 else status}: {n:,}" for status, n in sorted(statuses.items())
    )


def report_markdown(results: list[PhaseResult], *, header: str) -> str:
    lines = [header, ""]
    lines += [
        "| phase | fault | requests/s | p50 / p95 / p99 ms | 5xx | no answer | stale positions "
        "before sweeps | after sweeps (must be 0) |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        lines.append(
            f"| {r.name} | {PHASES[r.name]} | {r.total.per_second:,.1f} | "
            f"{r.total.p50:.0f} / {r.total.p95:.0f} / {r.total.p99:.0f} | {r.server_errors:,} | "
            f"{r.connection_errors:,} | {r.stale_before_sweeps:,} | {r.stale_after_sweeps:,} |"
        )
    for r in results:
        lines += [
            "",
            f"**{r.name}** ({r.users} users, {r.duration} s): " + "; ".join(r.events),
            "",
            "| request | count | requests/s | p50 ms | p95 ms | p99 ms | statuses |",
            "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
        ]
        lines += [
            f"| {q.name} | {q.count:,} | {q.per_second:,.1f} | {q.p50:.0f} | {q.p95:.0f} | "
            f"{q.p99:.0f} | {_statuses(q.statuses)} |"
            for q in sorted(r.requests, key=lambda q: q.name)
        ]
    return "\n".join(lines) + "\n"


def passed(results: list[PhaseResult]) -> bool:
    """Every phase recovered: nothing left for a fresh recomputation to change."""
    return all(r.stale_after_sweeps == 0 for r in results)
