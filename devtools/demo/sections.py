"""The other apps' demo records, loaded by ``seed_demo`` after the referrals.

Each app adds a module to this package with one function
``(organisations: dict[str, Organisation], users: dict[str, User], seed: int) -> str`` that adds its
records when the demo holds none yet (so ``seed_demo`` stays safe to run again) and returns one
line saying what it loaded. List it in ``DEMO_SECTIONS``, in the order they must run.
"""

from __future__ import annotations

from collections.abc import Callable

from devtools.demo.alerts import demo_alerts
from devtools.demo.contracts import demo_contracts
from devtools.demo.dashboards import demo_dashboards
from devtools.demo.diagnostics import demo_diagnostics
from devtools.demo.prescribing import demo_prescribing

# The dashboards stay last: their first snapshot reads every other app's demo figures.
DEMO_SECTIONS: list[Callable[..., str]] = [
    demo_diagnostics,
    demo_prescribing,
    demo_contracts,
    demo_alerts,
    demo_dashboards,
]
