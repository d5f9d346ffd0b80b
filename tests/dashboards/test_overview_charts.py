"""The dashboard's charts, drawn from one table of specs: each chart shows its table's figures,
except where a chart must draw them otherwise (every day, a bar per provider, nothing below
zero), and only a chart of its table's own rows opens that table's drill-downs."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.dashboards.factories import (
    BudgetSnapshotFactory,
    ComplianceSnapshotFactory,
    ServiceSnapshotFactory,
    SnapshotDayFactory,
    days_ago,
)
from tests.factories import ManagerFactory, TrustFactory
from tests.triage.factories import ReferralFactory
from triage.services.queue import queue_recompute

pytestmark = pytest.mark.django_db


def sections(client, manager) -> dict[str, dict]:
    client.force_login(manager)
    response = client.get(reverse("dashboards:overview"))
    return {s["table"].name: s for s in response.context["sections"]}


def test_the_budget_chart_draws_nothing_remaining_for_an_overspent_budget(client):
    SnapshotDayFactory()
    budget = BudgetSnapshotFactory(amount="1000.00", spent="900.00", committed="300.00")
    section = sections(client, ManagerFactory(organisation=budget.icb))["budgets"]
    remaining = {d["label"]: d["data"] for d in section["chart"]["datasets"]}["Remaining"]
    assert remaining == [0]
    assert section["table"].rows[0]["remaining"] == -200


def test_the_compliance_chart_sums_each_providers_duties_into_one_bar(client):
    SnapshotDayFactory()
    provider = TrustFactory()
    ComplianceSnapshotFactory(provider=provider, duty="discharge_summary", met=7, overdue=1)
    ComplianceSnapshotFactory(provider=provider, duty="clinic_letter", met=3, overdue=2)
    chart = sections(client, ManagerFactory(organisation=provider.icb))["compliance"]["chart"]
    assert chart["labels"] == [provider.name]
    assert {d["label"]: d["data"] for d in chart["datasets"]}["Overdue"] == [3]


def test_the_trend_charts_draw_every_day_while_their_tables_show_every_seventh(client):
    provider = TrustFactory()
    for days in range(15):
        ServiceSnapshotFactory(provider=provider, day=days_ago(days))
    found = sections(client, ManagerFactory(organisation=provider.icb))
    for name in ("backlog-trend", "breaches-trend"):
        assert len(found[name]["chart"]["labels"]) == 15
        assert len(found[name]["table"].rows) == 3


def test_only_the_provider_and_treatment_function_charts_open_drill_downs(client):
    provider = TrustFactory()
    ReferralFactory(provider=provider)
    queue_recompute()
    ServiceSnapshotFactory(provider=provider)
    BudgetSnapshotFactory(icb=provider.icb)
    ComplianceSnapshotFactory(provider=provider)
    found = sections(client, ManagerFactory(organisation=provider.icb))
    linked = {name for name, s in found.items() if s["chart"] and any(s["chart"]["links"])}
    assert linked == {"providers", "treatment-functions"}
