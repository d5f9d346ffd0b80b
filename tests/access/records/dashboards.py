"""The dashboards' records in the access matrix's scenario: a snapshot of the scenario's
trust today and a week ago, so each ICB's dashboard has a service of its own to show.
Aggregates only: no identifier of a patient, so nothing is added to the identifiers."""

from __future__ import annotations

from tests.dashboards.factories import ServiceSnapshotFactory, days_ago


def extend(scenario) -> None:
    scenario.extra["dashboards_services"] = [
        ServiceSnapshotFactory(provider=scenario.trust, day=days_ago(days), open_referrals=5)
        for days in (7, 0)
    ]
