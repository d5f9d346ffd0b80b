"""Each app's records in the access matrix's scenario (tests/access/scenario.py).

An app adds a module here with ``extend(scenario)``, which creates its records for the scenario's
patient and people, keeps them in ``scenario.extra`` and adds the strings that name them (UUIDs,
references) to ``scenario.extra_identifiers``, so the matrix checks that nobody without the
relationship ever sees them. List it in ``SCENARIO_EXTENSIONS`` below.
"""

from __future__ import annotations

from tests.access.records import alerts, contracts, dashboards, diagnostics, prescribing

SCENARIO_EXTENSIONS: list = [
    alerts.extend,
    diagnostics.extend,
    dashboards.extend,
    prescribing.extend,
    contracts.extend,
]
