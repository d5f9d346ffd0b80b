"""The capacity screen: a hub's week of slots with booked/capacity, and a week's template."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from diagnostics.models import Slot
from tests.diagnostics.factories import ECG, FBC, SlotFactory, test_type
from tests.factories import DiagnosticsStaffFactory, GPFactory, ManagerFactory
from tests.helpers import signed_in

pytestmark = pytest.mark.django_db

URL = "/diagnostics/capacity/"


@pytest.fixture
def staff(client):
    return signed_in(client, DiagnosticsStaffFactory())


def next_monday() -> datetime.date:
    today = timezone.localdate()
    return today + datetime.timedelta(days=7 - today.weekday())


def template(week: datetime.date, *lines: dict) -> dict:
    data = {
        "week_start_0": week.day,
        "week_start_1": week.month,
        "week_start_2": week.year,
        "rows-TOTAL_FORMS": 4,
        "rows-INITIAL_FORMS": 0,
        "rows-MIN_NUM_FORMS": 0,
        "rows-MAX_NUM_FORMS": 20,
    }
    for n in range(4):
        line = lines[n] if n < len(lines) else {}
        data |= {
            f"rows-{n}-weekday": line.get("weekday", ""),
            f"rows-{n}-start_0": line.get("hour", ""),
            f"rows-{n}-start_1": line.get("minute", ""),
            f"rows-{n}-test_type": line.get("test_type", ""),
            f"rows-{n}-capacity": line.get("capacity", 1),
            f"rows-{n}-count": line.get("count", 1),
            f"rows-{n}-interval_minutes": line.get("interval", ""),
        }
    return data


def ecg_line(**overrides) -> dict:
    return {
        "weekday": "0",
        "hour": "09",
        "minute": "00",
        "test_type": ECG,
        "count": 4,
        "capacity": 2,
        "interval": 15,
    } | overrides


def test_a_template_creates_the_weeks_slots(client, staff):
    monday = next_monday()
    response = client.post(URL, template(monday, ecg_line(), ecg_line(weekday="2", count=2)))
    assert response.status_code == 302
    assert response["Location"] == f"{URL}?week={monday.isoformat()}"
    slots = Slot.objects.filter(hub=staff.organisation).order_by("starts_at")
    assert slots.count() == 6
    first = timezone.localtime(slots[0].starts_at)
    assert (first.date(), first.hour, first.minute, slots[0].capacity) == (monday, 9, 0, 2)
    assert timezone.localtime(slots[3].starts_at).minute == 45


def test_a_blank_interval_takes_the_tests_usual_length(client, staff):
    client.post(URL, template(next_monday(), ecg_line(count=2, interval="", test_type=FBC)))
    starts = [timezone.localtime(s.starts_at) for s in Slot.objects.order_by("starts_at")]
    assert (starts[1] - starts[0]).seconds // 60 == test_type(FBC).sample_minutes


def test_running_the_same_template_again_creates_nothing_and_says_so(client, staff):
    monday = next_monday()
    client.post(URL, template(monday, ecg_line()))
    response = client.post(URL, template(monday, ecg_line()), follow=True)
    assert Slot.objects.count() == 4
    assert "0 slots created. 4 already existed" in response.content.decode()


def test_a_template_with_no_lines_says_what_is_missing(client, staff):
    response = client.post(URL, template(next_monday()))
    assert response.status_code == 400
    assert "Fill in at least one line of the template." in response.content.decode()


def test_a_bad_line_names_the_line_and_field_and_creates_nothing(client, staff):
    response = client.post(URL, template(next_monday(), ecg_line(), ecg_line(hour="26")))
    body = response.content.decode()
    assert response.status_code == 400
    assert "Line 2, first start time: The hour must be a number from 0 to 23" in body
    assert not Slot.objects.exists()


def test_a_week_in_the_past_is_refused_naming_the_line(client, staff):
    last_week = next_monday() - datetime.timedelta(days=14)
    response = client.post(URL, template(last_week, ecg_line()))
    assert response.status_code == 400
    assert "Slots must start in the future." in response.content.decode()
    assert not Slot.objects.exists()


def test_the_week_shows_each_slots_booked_and_capacity(client, staff):
    slot = SlotFactory(hub=staff.organisation, capacity=3, booked=2)
    week = timezone.localdate(slot.starts_at).isoformat()
    body = client.get(URL, {"week": week}).content.decode()
    assert "2/3" in body


def test_the_week_leaves_out_other_hubs_slots(client, staff):
    SlotFactory(capacity=7)
    body = client.get(URL).content.decode()
    assert "/7" not in body


def test_a_malformed_week_is_a_clear_400(client, staff):
    response = client.get(URL, {"week": "next tuesday"})
    assert response.status_code == 400
    assert "The week must be a date" in response.content.decode()


@pytest.mark.parametrize("factory", [GPFactory, ManagerFactory])
def test_only_hub_staff_manage_capacity(client, factory):
    client.force_login(factory())
    assert client.get(URL).status_code == 403
