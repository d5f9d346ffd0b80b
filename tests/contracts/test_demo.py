"""The demo's contract obligations (``seed_demo``; devtools/demo/contracts.py)."""

from __future__ import annotations

import pytest

from contracts.models import BreachReport, Discharge, Obligation, ObligationStatus
from devtools.demo.contracts import demo_contracts
from tests.factories import ConsultantFactory, GPFactory, PatientFactory, TrustFactory
from tests.triage.factories import ReferralFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_world():
    trust = TrustFactory(ods_code="R1H")
    consultant = ConsultantFactory(organisation=trust, username="consultant")
    gp = GPFactory(username="gp")
    for _ in range(90):
        ReferralFactory(provider=trust)
    for _ in range(4):
        PatientFactory(registered_practice=gp.organisation)
    return {"R1H": trust}, {"consultant": consultant, "gp": gp}


def test_the_demo_has_obligations_met_late_overdue_and_open_and_breach_reports(demo_world):
    organisations, users = demo_world
    line = demo_contracts(organisations=organisations, users=users, seed=2026)
    statuses = set(Obligation.objects.values_list("status", flat=True))
    assert {ObligationStatus.MET, ObligationStatus.MET_LATE, ObligationStatus.OVERDUE} <= statuses
    assert Discharge.objects.count() == 60
    assert BreachReport.objects.count() == 4
    assert line.startswith("Loaded 60 discharges and 30 attendances")


def test_running_the_demo_again_adds_nothing(demo_world):
    organisations, users = demo_world
    demo_contracts(organisations=organisations, users=users, seed=2026)
    before = Obligation.objects.count()
    line = demo_contracts(organisations=organisations, users=users, seed=2026)
    assert Obligation.objects.count() == before
    assert "already loaded" in line
