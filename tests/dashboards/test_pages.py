"""The dashboard pages (docs/product.md §6): managers (their ICB only) and administrators; no
patient identifier anywhere; filters; drill-down to the pseudonymised queue; CSV of every
table; the printable board report."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from dashboards.services import snapshot_take
from tests.dashboards.factories import (
    BudgetSnapshotFactory,
    ComplianceSnapshotFactory,
    DiagnosticSnapshotFactory,
    ServiceSnapshotFactory,
    days_ago,
)
from tests.factories import (
    CommunityClinicianFactory,
    ConsultantFactory,
    DiagnosticsStaffFactory,
    GPFactory,
    ManagerFactory,
    TrustFactory,
    UserFactory,
)
from tests.triage.factories import ReferralFactory
from tests.triage.manager_surfaces import identifiable_referral, leaked
from triage.services.queue import queue_recompute

pytestmark = pytest.mark.django_db

PAGES = ("dashboards:overview", "dashboards:services", "dashboards:forecast", "dashboards:report")


@pytest.fixture
def manager_with_figures():
    """A manager whose ICB has a referral with distinctive identifiers, a year of snapshots
    and every other app's figures."""
    referral = identifiable_referral(provider=TrustFactory())
    ReferralFactory(provider=referral.provider, clock_start=days_ago(400))
    queue_recompute()
    for days in (364, 28, 7):
        ServiceSnapshotFactory(provider=referral.provider, day=days_ago(days), open_referrals=1)
    snapshot_take()
    icb = referral.provider.icb
    DiagnosticSnapshotFactory(hub__icb=icb)
    BudgetSnapshotFactory(icb=icb)
    ComplianceSnapshotFactory(provider=referral.provider)
    return ManagerFactory(organisation=icb), referral


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize(
    "factory", [GPFactory, ConsultantFactory, CommunityClinicianFactory, DiagnosticsStaffFactory]
)
def test_clinicians_cannot_open_the_dashboard(client, name, factory):
    client.force_login(factory())
    assert client.get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", PAGES)
def test_a_manager_opens_every_page_with_no_patient_identifier(client, name, manager_with_figures):
    manager, referral = manager_with_figures
    client.force_login(manager)

    response = client.get(reverse(name))

    assert response.status_code == 200
    assert leaked(response.content.decode(), referral) == []


@pytest.mark.parametrize("name", PAGES)
def test_an_administrator_opens_every_page(client, name, manager_with_figures):
    client.force_login(UserFactory(role="admin", organisation=None))
    assert client.get(reverse(name)).status_code == 200


def test_the_dashboard_shows_the_icbs_backlog_with_its_changes(client, manager_with_figures):
    manager, referral = manager_with_figures
    client.force_login(manager)

    response = client.get(reverse("dashboards:overview"))

    headlines = {h["key"]: h for h in response.context["headlines"]}
    assert headlines["open"]["value"] == 2
    assert headlines["open"]["last_week"] == "up 1"
    assert headlines["open"]["last_month"] == "up 1"
    assert referral.provider.name in response.content.decode()


def test_every_table_on_every_page_downloads_as_csv_with_no_identifier(
    client, manager_with_figures
):
    manager, referral = manager_with_figures
    client.force_login(manager)
    downloads = 0
    for name in PAGES:
        page = client.get(reverse(name))
        tables = [s["table"] for s in page.context.get("sections", [])] or [page.context["table"]]
        for table in tables:
            response = client.get(reverse(name), {"format": "csv", "table": table.name})
            assert response.status_code == 200, (name, table.name)
            body = b"".join(response.streaming_content).decode("utf-8-sig")
            header = next(csv.reader(io.StringIO(body)))
            assert set(header) >= {column.key for column in table.columns}
            assert leaked(body, referral) == []
            downloads += 1
    assert downloads >= 15


def test_an_unknown_table_is_not_found(client, manager_with_figures):
    manager, _ = manager_with_figures
    client.force_login(manager)
    response = client.get(reverse("dashboards:overview"), {"format": "csv", "table": "nope"})
    assert response.status_code == 404


def test_a_manager_sees_only_the_providers_of_their_icb(client, manager_with_figures):
    manager, _ = manager_with_figures
    elsewhere = TrustFactory(name="Elsewhere Hospitals NHS Trust")
    ReferralFactory(provider=elsewhere)
    queue_recompute()
    client.force_login(manager)

    response = client.get(reverse("dashboards:overview"))

    assert "Elsewhere Hospitals" not in response.content.decode()


def test_the_provider_chart_drills_down_to_the_pseudonymised_queue(client, manager_with_figures):
    manager, referral = manager_with_figures
    client.force_login(manager)

    response = client.get(reverse("dashboards:overview"))

    (section,) = [s for s in response.context["sections"] if s["table"].name == "providers"]
    link = section["chart"]["links"][0]
    assert link == f"/triage/queue/?provider={referral.provider.ods_code}"
    queue = client.get(link)
    assert queue.status_code == 200
    assert str(referral.uuid) in queue.content.decode()


def test_filters_narrow_the_figures(client, manager_with_figures):
    manager, _ = manager_with_figures
    client.force_login(manager)

    response = client.get(reverse("dashboards:overview"), {"treatment_function": "999"})

    assert response.context["backlog"].open == 0


def test_a_bad_filter_is_a_form_error_and_the_page_says_so(client, manager_with_figures):
    manager, _ = manager_with_figures
    client.force_login(manager)

    response = client.get(reverse("dashboards:forecast"), {"weeks": "500"})

    assert response.status_code == 400
    assert "nhsuk-error-summary" in response.content.decode()


def test_the_charts_data_is_in_json_script_elements(client, manager_with_figures):
    manager, _ = manager_with_figures
    client.force_login(manager)

    body = client.get(reverse("dashboards:overview")).content.decode()

    for chart in ("backlog-trend", "bands", "providers", "treatment-functions", "breaches-trend",
                  "diagnostics", "budgets", "compliance"):  # fmt: skip
        assert f'id="chart-data-{chart}" type="application/json"' in body


def test_the_home_page_shows_a_manager_the_dashboards_headline(client, manager_with_figures):
    manager, _ = manager_with_figures
    client.force_login(manager)

    body = client.get(reverse("home")).content.decode()

    assert 'data-testid="home-dashboard"' in body
    assert "Open the backlog dashboard" in body


def test_the_navigation_offers_the_dashboard_to_managers_only(client, manager_with_figures):
    manager, _ = manager_with_figures
    client.force_login(manager)
    assert 'href="/dashboard/"' in client.get(reverse("home")).content.decode()
    client.force_login(GPFactory())
    assert 'href="/dashboard/"' not in client.get(reverse("home")).content.decode()
