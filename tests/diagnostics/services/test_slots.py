"""Slot services: one slot, or a week from a template (docs/product.md §3)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from audit.services import COMMAND_CONTEXT
from core.errors import ApplicationError
from diagnostics.models import Slot
from diagnostics.services import (
    SlotTemplateRow,
    slot_create,
    slots_create_from_template,
    slots_template_apply,
)
from tests.diagnostics.factories import ECG, FBC, test_type
from tests.factories import DiagnosticHubFactory, DiagnosticsStaffFactory, GPFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return DiagnosticsStaffFactory()


def next_monday() -> dt.date:
    today = timezone.localdate()
    return today + dt.timedelta(days=7 - today.weekday())


def tomorrow_at_nine():
    return timezone.make_aware(
        dt.datetime.combine(timezone.localdate() + dt.timedelta(days=1), dt.time(9))
    )


def test_hub_staff_create_a_slot(staff):
    slot = slot_create(
        actor=staff,
        context=COMMAND_CONTEXT,
        hub=staff.organisation,
        test_type=test_type(FBC),
        starts_at=tomorrow_at_nine(),
        capacity=4,
    )
    assert (slot.capacity, slot.booked, slot.created_by) == (4, 0, staff)


def test_staff_of_another_hub_cannot_create_slots(staff):
    with pytest.raises(PermissionDenied):
        slot_create(
            actor=staff,
            context=COMMAND_CONTEXT,
            hub=DiagnosticHubFactory(),
            test_type=test_type(FBC),
            starts_at=tomorrow_at_nine(),
            capacity=1,
        )


def test_gp_cannot_create_slots():
    gp = GPFactory()
    with pytest.raises(PermissionDenied):
        slot_create(
            actor=gp,
            context=COMMAND_CONTEXT,
            hub=gp.organisation,
            test_type=test_type(FBC),
            starts_at=tomorrow_at_nine(),
            capacity=1,
        )


def test_slot_in_the_past_is_refused(staff):
    with pytest.raises(ApplicationError) as error:
        slot_create(
            actor=staff,
            context=COMMAND_CONTEXT,
            hub=staff.organisation,
            test_type=test_type(FBC),
            starts_at=timezone.now() - dt.timedelta(minutes=1),
            capacity=1,
        )
    assert "starts_at" in error.value.field_errors


def test_duplicate_slot_is_refused_naming_the_start(staff):
    kwargs = {
        "actor": staff,
        "context": COMMAND_CONTEXT,
        "hub": staff.organisation,
        "test_type": test_type(FBC),
        "starts_at": tomorrow_at_nine(),
        "capacity": 1,
    }
    slot_create(**kwargs)
    with pytest.raises(ApplicationError) as error:
        slot_create(**kwargs)
    assert "starts_at" in error.value.field_errors


def test_template_creates_a_week_of_slots(staff):
    rows = [
        SlotTemplateRow(
            weekday=0, start=dt.time(9), test_type=test_type(FBC), count=4, interval_minutes=10
        ),
        SlotTemplateRow(
            weekday=2, start=dt.time(14), test_type=test_type(ECG), capacity=2, count=2
        ),
    ]
    slots = slots_create_from_template(
        actor=staff,
        context=COMMAND_CONTEXT,
        hub=staff.organisation,
        week_start=next_monday(),
        rows=rows,
    )
    assert len(slots) == 6
    ecg = [s for s in slots if s.test_type.code == ECG]
    # The ECG's usual length (15 minutes) spaces its slots when no interval is given.
    assert [timezone.localtime(s.starts_at).time() for s in ecg] == [dt.time(14), dt.time(14, 15)]
    assert {s.capacity for s in ecg} == {2}


def test_template_reports_existing_slots_instead_of_duplicating(staff):
    rows = [SlotTemplateRow(weekday=1, start=dt.time(9), test_type=test_type(FBC), count=3)]
    kwargs = {
        "actor": staff,
        "context": COMMAND_CONTEXT,
        "hub": staff.organisation,
        "week_start": next_monday(),
    }
    slots_create_from_template(**kwargs, rows=rows)
    bigger = [
        SlotTemplateRow(
            weekday=1, start=dt.time(9), test_type=test_type(FBC), count=4, interval_minutes=5
        )
    ]
    outcome = slots_template_apply(**kwargs, rows=bigger)
    # The first three (every 5 minutes, the test's usual length) exist; one is new.
    assert (len(outcome.created), len(outcome.existing)) == (1, 3)
    assert Slot.objects.filter(hub=staff.organisation).count() == 4


def test_a_bad_template_row_creates_nothing_and_names_the_row(staff):
    rows = [
        SlotTemplateRow(weekday=0, start=dt.time(9), test_type=test_type(FBC)),
        SlotTemplateRow(weekday=9, start=dt.time(9), test_type=test_type(FBC)),
    ]
    with pytest.raises(ApplicationError) as error:
        slots_create_from_template(
            actor=staff,
            context=COMMAND_CONTEXT,
            hub=staff.organisation,
            week_start=next_monday(),
            rows=rows,
        )
    assert "rows.1.weekday" in error.value.field_errors
    assert not Slot.objects.exists()


def test_template_running_past_midnight_is_refused(staff):
    rows = [
        SlotTemplateRow(
            weekday=0, start=dt.time(23), test_type=test_type(FBC), count=10, interval_minutes=10
        )
    ]
    with pytest.raises(ApplicationError) as error:
        slots_create_from_template(
            actor=staff,
            context=COMMAND_CONTEXT,
            hub=staff.organisation,
            week_start=next_monday(),
            rows=rows,
        )
    assert "rows.0.count" in error.value.field_errors
