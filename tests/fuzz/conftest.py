"""The API fuzzing's counts in pytest's summary: operations × roles × cases."""

from __future__ import annotations

from tests.fuzz.tally import CASES


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    tally = config.stash.get(CASES, None)
    if not tally:
        return
    roles = {role for role, _ in tally}
    operations = {operation for _, operation in tally}
    terminalreporter.write_line(
        f"API fuzz: {len(operations)} operations × {len(roles)} roles, "
        f"{sum(tally.values())} cases (fewest for one operation and role: {min(tally.values())})"
    )
