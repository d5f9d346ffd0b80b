"""The alerts inbox in Chromium: a raised alert shows in the header's count and the inbox, and
marking it read clears the count; the inbox's states and the preferences page pass axe-core (the
site-wide walk in test_accessibility.py sees only one state of each page)."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from alerts.services import AlertDraft, alerts_raise
from tests.alerts.factories import AlertFactory, TeamAlertFactory
from tests.browser.test_accessibility import AXE, _axe, _problems
from tests.factories import DEFAULT_PASSWORD, ConsultantFactory, GPFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_raised_alert_is_counted_listed_and_cleared_by_marking_it_read(page, sign_in):
    gp = GPFactory()
    alerts_raise(
        [
            AlertDraft(
                kind="test.result_unacknowledged",
                key="browser-test:1",
                subject="A test result awaits your acknowledgement",
                link="/triage/queue/",
                recipient_id=gp.pk,
            )
        ]
    )
    sign_in(gp)
    count = page.get_by_test_id("header-alerts-count")
    expect(count).to_have_text("1")

    page.get_by_test_id("header-alerts").click()
    page.wait_for_url("**/alerts/")
    row = page.get_by_test_id("alert")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("A test result awaits your acknowledgement")
    expect(row.get_by_test_id("alert-unread")).to_be_visible()

    row.get_by_role("button", name="Mark as read").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_test_id("header-alerts-count")).to_have_count(0)
    expect(page.get_by_test_id("alert").get_by_test_id("alert-unread")).to_have_count(0)
    expect(page.get_by_test_id("alert")).to_contain_text("Read")


def test_the_inbox_and_preferences_pages_have_no_axe_violations(chromium, live_server):
    consultant = ConsultantFactory(email="")
    colleague = ConsultantFactory(organisation=consultant.organisation)
    AlertFactory(recipient=consultant)
    TeamAlertFactory(
        organisation=consultant.organisation, read_at=timezone.now(), read_by=colleague
    )
    context = chromium.new_context(base_url=live_server.url, bypass_csp=True)
    page = context.new_page()
    page.goto("/login/")
    page.get_by_label("Username").fill(consultant.username)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")
    problems = {}
    for path in (
        "/alerts/",
        "/alerts/?unread=false",
        "/alerts/?unread=maybe",
        "/alerts/preferences/",
    ):
        page.goto(path)
        if found := _problems(_axe(page)):
            problems[path] = found
    context.close()
    assert AXE.exists()
    assert not problems, problems
