"""The dashboards app's pages and API operations in the access matrix (docs/product.md §6,
§7): for the ICB's managers, who see their own ICB's figures (a manager of an ICB with no
providers sees empty figures, not a refusal), and administrators, who see every ICB's.
Everyone else is refused the page (403), as for the manager's queue and the audit search.
The scenario's records: tests/access/records/dashboards.py."""

from __future__ import annotations

from tests.access.spec import Entry, every, for_everyone, showing

DASHBOARD_READERS = {**for_everyone(403), "manager": every(200), "admin": every(200)}


def trust_name(scenario) -> str:
    return scenario.trust.name


def trust_code(scenario) -> str:
    return scenario.trust.ods_code


ENTRIES: list[Entry] = [
    Entry("dashboards:overview", expect=DASHBOARD_READERS),
    Entry(
        "dashboards:services",
        lists=True,
        shows=showing(trust_name, "manager", "admin"),
        expect=DASHBOARD_READERS,
    ),
    Entry("dashboards:forecast", query=lambda s: {"weeks": 4}, expect=DASHBOARD_READERS),
    Entry("dashboards:report", expect=DASHBOARD_READERS),
    Entry("api-dashboards-backlog", expect=DASHBOARD_READERS),
    Entry(
        "api-dashboards-services",
        lists=True,
        shows=showing(trust_code, "manager", "admin"),
        expect=DASHBOARD_READERS,
    ),
    Entry(
        "api-dashboards-forecast",
        query=lambda s: {"weeks": 4, "extra_capacity": 1},
        expect=DASHBOARD_READERS,
    ),
    Entry("api-dashboards-trends", expect=DASHBOARD_READERS),
]
