"""Diagnostics on the home page and in the navigation: what each role must do now."""

from __future__ import annotations

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from tests.diagnostics.factories import (
    ECG,
    AttendedBookingFactory,
    BookingFactory,
    PastSlotFactory,
    ResultFactory,
    test_type,
)
from tests.factories import (
    ConsultantFactory,
    DiagnosticHubFactory,
    DiagnosticsStaffFactory,
    GPFactory,
    ManagerFactory,
)
from tests.helpers import signed_in

pytestmark = pytest.mark.django_db


def card_count(body: str, testid: str) -> int:
    card = body.split(f'data-testid="home-{testid}"')[1]
    return int(re.search(r'data-testid="home-count">(\d+)<', card)[1])


def nav_labels(body: str) -> list[str]:
    nav = body.split('aria-label="Menu"')[1].split("</nav>")[0]
    return [
        re.sub(r"\s+", " ", label).strip() for label in re.findall(r'link"[^>]*>\s*([^<]+)', nav)
    ]


def test_a_gps_home_counts_the_results_to_act_on_and_transfers_offered(client):
    gp = GPFactory()
    ResultFactory(booking__requester=gp, abnormal=True)
    ResultFactory(booking__requester=gp)
    ResultFactory(
        booking__requester=gp, acknowledged_at=timezone.now(), acknowledged_by=gp, action="Done"
    )
    signed_in(client, gp)
    body = client.get("/").content.decode()
    assert card_count(body, "diagnostics-results") == 2
    assert (
        "2 test results you are responsible for await your acknowledgement, 1 of them abnormal."
        in body
    )


def test_a_hubs_home_counts_todays_patients_to_attend_and_results_to_record(client):
    hub = DiagnosticHubFactory()
    now = timezone.now()
    earlier_today = max(
        timezone.localtime(now).replace(hour=0, minute=5), now - datetime.timedelta(minutes=1)
    )
    BookingFactory.create_batch(
        2, slot=PastSlotFactory(hub=hub, starts_at=earlier_today, capacity=5)
    )
    AttendedBookingFactory(
        slot=PastSlotFactory(hub=hub, starts_at=earlier_today, capacity=5, test_type=test_type(ECG))
    )
    signed_in(client, DiagnosticsStaffFactory(organisation=hub))
    body = client.get("/").content.decode()
    assert card_count(body, "diagnostics-to-attend") == 2
    assert card_count(body, "diagnostics-to-result") == 1


@time_machine.travel(datetime.datetime(2026, 12, 2, 14, 0, tzinfo=ZoneInfo("Europe/London")))
def test_a_hubs_day_lists_its_bookings_in_time_order(client):
    hub = DiagnosticHubFactory()
    now = timezone.now()
    later = BookingFactory(slot=PastSlotFactory(hub=hub, starts_at=now))
    earlier = BookingFactory(slot=PastSlotFactory(hub=hub, starts_at=now.replace(hour=9)))
    elsewhere = BookingFactory(slot=PastSlotFactory(starts_at=now))
    signed_in(client, DiagnosticsStaffFactory(organisation=hub))
    body = client.get("/diagnostics/").content.decode()
    assert body.index(str(earlier.uuid)) < body.index(str(later.uuid))
    assert str(elsewhere.uuid) not in body


def test_a_clinicians_tests_page_lists_the_tests_they_asked_for(client):
    booking = BookingFactory()
    signed_in(client, booking.requester)
    body = client.get("/diagnostics/").content.decode()
    assert f"/diagnostics/bookings/{booking.uuid}/" in body


def test_clinicians_who_book_get_tests_and_results_in_the_navigation(client):
    gp = GPFactory()
    ResultFactory(booking__requester=gp)
    signed_in(client, gp)
    body = client.get("/").content.decode()
    assert {"Tests", "Results"} <= set(nav_labels(body))
    assert re.search(r'href="/diagnostics/results/"[^>]*>\s*Results <span[^>]*>1</span>', body)


def test_hub_staff_get_their_bookings_and_capacity_in_the_navigation(client):
    signed_in(client, DiagnosticsStaffFactory())
    labels = nav_labels(client.get("/").content.decode())
    assert {"Hub bookings", "Capacity"} <= set(labels)
    assert "Results" not in " ".join(labels)


def test_managers_get_no_diagnostics_pages_in_the_navigation(client):
    signed_in(client, ManagerFactory())
    labels = nav_labels(client.get("/").content.decode())
    assert not {"Tests", "Hub bookings", "Capacity"} & set(labels)


def test_only_one_navigation_entry_is_current_on_the_results_page(client):
    signed_in(client, ConsultantFactory())
    body = client.get("/diagnostics/results/").content.decode()
    assert body.count('aria-current="page"') == 1
