"""A manager downloads the queue as CSV from the queue page: pseudonymised, no identifier."""

import csv
import io
from pathlib import Path

import pytest

from tests.factories import ManagerFactory
from tests.triage.manager_surfaces import identifiable_referral, leaked

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_downloads_a_queue_export_with_no_patient_identifier(page, sign_in):
    referral = identifiable_referral()
    manager = ManagerFactory(organisation=referral.provider.icb)
    sign_in(manager)
    page.goto("/triage/queue/")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download CSV").click()
    download = download_info.value
    body = Path(download.path()).read_text(encoding="utf-8-sig")

    assert download.suggested_filename.startswith("queue-")
    (row,) = list(csv.DictReader(io.StringIO(body)))
    assert row["id"] == str(referral.uuid)
    assert leaked(body, referral) == []


def test_download_link_carries_the_filters_chosen_through_htmx(page, sign_in):
    referral = identifiable_referral()
    manager = ManagerFactory(organisation=referral.provider.icb)
    sign_in(manager)
    page.goto("/triage/queue/")
    page.get_by_label("Category").select_option("P1a")
    page.wait_for_url("**category=P1a**")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download CSV").click()
    body = Path(download_info.value.path()).read_text(encoding="utf-8-sig")
    assert list(csv.DictReader(io.StringIO(body))) == []
