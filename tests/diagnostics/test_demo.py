"""seed_demo's diagnostics (devtools/demo/diagnostics.py): something real for every role to do,
slot counts as the services keep them, alerts for run_sweeps, and safe to run again."""

from __future__ import annotations

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, F, Q
from django.test import override_settings
from django.utils import timezone

from alerts.models import Alert
from diagnostics.models import Booking, BookingStatus, Result, Slot
from diagnostics.selectors import hub_bookings, results_worklist
from directory.models import User
from directory.selectors import patients_visible_to

pytestmark = pytest.mark.django_db

# A Wednesday at noon, so "today at the hub" has appointments both past and to come.
NOON = datetime(2026, 12, 2, 12, 0, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with (
        django_db_blocker.unblock(),
        time_machine.travel(NOON, tick=False),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
        transaction.atomic(),
    ):
        out = io.StringIO()
        call_command("seed_demo", referrals=600, no_progress=True, stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


def user(username: str) -> User:
    return User.objects.get(username=username)


def test_each_requesting_clinician_has_results_on_their_worklist(seeded):
    for username in ("gp", "consultant", "community"):
        assert results_worklist(user(username)).exists(), username


def test_a_transfer_is_offered_each_way_between_the_gp_and_the_consultant(seeded):
    offered = set(
        Result.objects.filter(transfer_to__isnull=False).values_list(
            "responsible__username", "transfer_to__username"
        )
    )
    assert offered == {("gp", "consultant"), ("consultant", "gp")}


def test_every_demo_patient_tested_is_one_the_requester_may_see(seeded):
    for booking in Booking.objects.select_related("requester"):
        assert patients_visible_to(booking.requester).filter(pk=booking.patient_id).exists()


def test_the_hub_has_patients_to_attend_and_results_to_record_today(seeded):
    with time_machine.travel(NOON, tick=False):
        today = list(hub_bookings(user("diagnostics"), day=timezone.localdate()))
    statuses = {(b.status, hasattr(b, "result")) for b in today}
    assert {(BookingStatus.BOOKED, False), (BookingStatus.ATTENDED, False)} <= statuses


def test_each_slots_booked_count_is_its_bookings_that_hold_a_place(seeded):
    wrong = Slot.objects.annotate(
        held=Count("bookings", filter=~Q(bookings__status=BookingStatus.CANCELLED))
    ).exclude(booked=F("held"))
    assert not wrong.exists()


def test_run_sweeps_raises_the_overdue_results_alerts_once(seeded):
    with time_machine.travel(NOON, tick=False):
        call_command("run_sweeps", stdout=io.StringIO())
        raised = Alert.objects.filter(kind="diagnostics.result_unacknowledged").count()
        call_command("run_sweeps", stdout=io.StringIO())
    assert raised > 0
    assert Alert.objects.filter(kind="diagnostics.result_unacknowledged").count() == raised


def test_seeding_again_adds_no_diagnostics(seeded):
    before = (Slot.objects.count(), Booking.objects.count(), Result.objects.count())
    with time_machine.travel(NOON, tick=False):
        out = io.StringIO()
        call_command("seed_demo", referrals=600, no_progress=True, stdout=out)
    assert "Demo diagnostics already loaded" in out.getvalue()
    assert (Slot.objects.count(), Booking.objects.count(), Result.objects.count()) == before
