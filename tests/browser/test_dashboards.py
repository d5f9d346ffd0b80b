"""The backlog dashboards in Chromium (docs/product.md §6): a manager sees the demo ICB's backlog,
a year of trends and the forecast, drawn as charts; filters apply; a chart drills down to the
pseudonymised queue; the CSV downloads; no patient identifier anywhere; a GP is refused."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from dashboards.models import SnapshotDay
from directory.models import Patient, User
from tests.factories import DEFAULT_PASSWORD, GPFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# How many of a canvas's pixels are painted: a drawn chart has thousands, a blank one none.
PAINTED_PIXELS = """canvas => {
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let painted = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted++;
    return painted;
}"""


@pytest.fixture
def manager(settings):
    """The demo (small) with its year of dashboard history, and its North East London
    manager, whose password is the factories' own."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo", referrals=150, no_progress=True, stdout=io.StringIO())
    user = User.objects.get(username="manager")
    user.set_password(DEFAULT_PASSWORD)
    user.save()
    return user


def identifiers(user) -> list[str]:
    """What no dashboard may show: every identifier of the patients of the manager's ICB."""
    found = []
    patients = Patient.objects.filter(registered_practice__icb=user.organisation)
    for p in patients:
        found += [p.nhs_number, p.full_name, p.date_of_birth.isoformat()]
    return found


def assert_drawn(page, chart: str) -> None:
    canvas = page.get_by_test_id(f"chart-{chart}").locator("canvas")
    expect(canvas).to_have_attribute("data-drawn", "true")
    assert canvas.evaluate(PAINTED_PIXELS) > 1000, f"chart {chart} is blank"


def test_a_manager_sees_the_backlog_a_year_of_trends_and_the_forecast_drawn(page, sign_in, manager):
    sign_in(manager)
    page.get_by_role("link", name="Dashboard", exact=True).click()
    page.wait_for_url("**/dashboard/")

    open_now = page.get_by_test_id("headline-open").get_by_test_id("headline-value")
    assert int(open_now.inner_text().replace(",", "")) > 0
    assert SnapshotDay.objects.count() == 365
    expect(page.get_by_text("trends from 365 daily snapshots")).to_be_visible()
    for chart in ("backlog-trend", "bands", "providers", "treatment-functions", "breaches-trend"):
        assert_drawn(page, chart)
    body = page.content()
    assert [value for value in identifiers(manager) if value in body] == []

    page.get_by_role("link", name="Forecast", exact=True).click()
    page.wait_for_url("**/dashboard/forecast/")
    assert_drawn(page, "forecast")
    expect(page.get_by_test_id("forecast-summary")).to_contain_text("Waiting list now")


def test_every_chart_has_its_table(page, sign_in, manager):
    sign_in(manager)
    page.goto("/dashboard/")
    for figure in page.locator("figure.app-chart").all():
        section = figure.locator("xpath=ancestor::section[1]")
        section.locator("summary").click()
        expect(section.locator("table")).to_be_visible()


def test_a_filter_narrows_the_dashboard_to_one_provider(page, sign_in, manager):
    sign_in(manager)
    page.goto("/dashboard/")
    before = page.get_by_test_id("headline-open").get_by_test_id("headline-value").inner_text()

    page.get_by_label("Provider", exact=True).select_option("RQX")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**provider=RQX**")

    after = page.get_by_test_id("headline-open").get_by_test_id("headline-value").inner_text()
    assert int(after.replace(",", "")) < int(before.replace(",", ""))
    page.get_by_test_id("chart-providers").locator("xpath=..").locator("summary").click()
    rows = page.get_by_test_id("table-providers").locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Homerton")


def test_selecting_a_bar_opens_the_pseudonymised_queue_behind_it(page, sign_in, manager):
    sign_in(manager)
    page.goto("/dashboard/")
    canvas = page.get_by_test_id("chart-providers").locator("canvas")
    expect(canvas).to_have_attribute("data-drawn", "true")
    canvas.scroll_into_view_if_needed()
    point = canvas.evaluate(
        "c => { const bar = Chart.getChart(c).getDatasetMeta(0).data[0];"
        " return {x: bar.x - 20, y: bar.y}; }"
    )

    canvas.click(position=point)

    page.wait_for_url(re.compile(r"/triage/queue/\?provider=\w+"))
    rows = page.locator("table tbody tr")
    expect(rows.first).to_be_visible()
    body = page.content()
    assert [value for value in identifiers(manager) if value in body] == []


def test_a_table_downloads_as_csv_with_no_patient_identifier(page, sign_in, manager):
    sign_in(manager)
    page.goto("/dashboard/")

    with page.expect_download() as download_info:
        page.get_by_test_id("csv-providers").click()
    download = download_info.value
    body = Path(download.path()).read_text(encoding="utf-8-sig")

    assert download.suggested_filename.startswith("dashboard-providers-")
    rows = list(csv.DictReader(io.StringIO(body)))
    # The North East London ICB's providers only: never North West London's.
    assert "R1H" in {row["provider"] for row in rows}
    assert {row["provider"] for row in rows} <= {"R1H", "RQX", "RF4", "RWK"}
    assert [value for value in identifiers(manager) if value in body] == []


def test_a_gp_cannot_open_the_dashboard(page, sign_in):
    sign_in(GPFactory())
    expect(page.get_by_role("link", name="Dashboard", exact=True)).to_have_count(0)
    response = page.goto("/dashboard/")
    assert response.status == 403
