"""The contracts app's records in the access matrix's scenario: an inpatient discharge by the
scenario's trust, 30 hours ago, whose discharge summary is overdue, and a breach report by the
patient's GP addressed to that trust (tests/access/matrix/contracts.py)."""

from __future__ import annotations

from tests.contracts.factories import (
    BreachReportFactory,
    DischargeFactory,
    ObligationFactory,
    at_hours_ago,
)


def extend(scenario) -> None:
    discharge = DischargeFactory(
        patient=scenario.patient,
        provider=scenario.trust,
        discharged_at=at_hours_ago(30),
        recorded_by=scenario.users["consultant"],
    )
    obligation = ObligationFactory(discharge=discharge)
    report = BreachReportFactory(
        patient=scenario.patient,
        provider=scenario.trust,
        practice=scenario.practice,
        reported_by=scenario.users["gp"],
        description=f"{scenario.label.title()} clinic asked us to re-refer after a DNA.",
    )
    scenario.extra["contracts_discharge"] = discharge
    scenario.extra["contracts_obligation"] = obligation
    scenario.extra["contracts_report"] = report
    scenario.extra_identifiers |= {str(discharge.uuid), str(obligation.uuid), str(report.uuid)}
