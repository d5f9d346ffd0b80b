"""Reads of test types and capacity slots. Slots carry no patient data."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db.models import F, QuerySet
from django.utils import timezone

from diagnostics.models import Slot, TestType
from diagnostics.rules import local_day_start
from diagnostics.selectors.ids import as_uuid
from directory.models import Organisation


def test_types() -> QuerySet[TestType]:
    return TestType.objects.order_by("name", "id")


def test_type_get(code: str) -> TestType | None:
    return TestType.objects.filter(code=str(code).strip()).first()


def _code(value) -> str | None:
    return value.code if isinstance(value, TestType) else value


def free_slots(
    *,
    test_type: TestType | str | None = None,
    hub: Organisation | str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    now: datetime | None = None,
) -> QuerySet[Slot]:
    """Future slots with room left, soonest first. ``test_type`` is a test type or its SNOMED
    CT code, ``hub`` an organisation or its ODS code; the dates are local and inclusive."""
    now = now or timezone.now()
    slots = Slot.objects.filter(starts_at__gt=now, booked__lt=F("capacity"))
    if test_type is not None:
        slots = slots.filter(test_type__code=_code(test_type))
    if hub is not None:
        if isinstance(hub, Organisation):
            slots = slots.filter(hub_id=hub.pk)
        else:
            slots = slots.filter(hub__ods_code=str(hub).strip().upper())
    if date_from is not None:
        slots = slots.filter(starts_at__gte=local_day_start(date_from))
    if date_to is not None:
        slots = slots.filter(starts_at__lt=local_day_start(date_to + timedelta(days=1)))
    return slots.select_related("hub", "test_type").order_by("starts_at", "id")


def hub_slots(hub: Organisation, *, date_from: date, date_to: date) -> QuerySet[Slot]:
    """A hub's slots between two local dates (inclusive), full or not, in time order."""
    return (
        Slot.objects.filter(
            hub_id=hub.pk,
            starts_at__gte=local_day_start(date_from),
            starts_at__lt=local_day_start(date_to + timedelta(days=1)),
        )
        .select_related("hub", "test_type")
        .order_by("starts_at", "test_type__name", "id")
    )


def slot_get(slot_uuid) -> Slot | None:
    """The slot with this public id, or None (a malformed id included)."""
    key = as_uuid(slot_uuid)
    if key is None:
        return None
    return Slot.objects.select_related("hub", "test_type").filter(uuid=key).first()
