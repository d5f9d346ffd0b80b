"""Races that only PostgreSQL can show (docs/product.md §3): concurrent bookings never
overfill a slot, and two workers running the result-alert sweep at once raise each alert once.
Required under CI (tests/conftest.py ``require``)."""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
import uuid

import pytest
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from alerts.models import Alert
from devtools.benchmark import harness
from diagnostics.models import Booking, Result, Slot
from diagnostics.services import ALERT_KIND
from tests.conftest import require
from tests.diagnostics.factories import ResultFactory, SlotFactory
from tests.factories import GPFactory, PatientFactory

RACERS = 8


@pytest.mark.django_db(transaction=True)
def test_concurrent_bookings_of_a_capacity_one_slot_give_one_201_and_the_rest_409(postgres):
    slot = SlotFactory(capacity=1)
    patients = [PatientFactory() for _ in range(RACERS)]
    gps = [GPFactory(organisation=p.registered_practice) for p in patients]
    barrier = threading.Barrier(RACERS)
    statuses: list[int] = []
    lock = threading.Lock()

    def book(gp, patient):
        client = APIClient()
        client.force_authenticate(gp)
        try:
            barrier.wait(timeout=30)
            response = client.post(
                reverse("api-diagnostics-bookings"),
                {
                    "nhs_number": patient.nhs_number,
                    "test_type": slot.test_type.code,
                    "slot": str(slot.uuid),
                    "reason": "Race.",
                },
                format="json",
            )
            with lock:
                statuses.append(response.status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=book, args=pair) for pair in zip(gps, patients, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(statuses) == [201] + [409] * (RACERS - 1)
    assert Slot.objects.get(pk=slot.pk).booked == 1
    assert Booking.objects.filter(slot=slot).count() == 1


def _sweeps_waiting_on_locks() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
            "AND datname = current_database() AND query ILIKE %s",
            ["%UPDATE diagnostics_result SET alerted_at%"],
        )
        return cursor.fetchone()[0]


def _wait_for(condition, *, what: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def test_two_workers_sweeping_at_once_raise_each_alert_once(celery_worker_queue):
    """Two real workers over the real broker run the sweep while a transaction holds the
    overdue results' rows, so both are inside the sweep at once when it lets go."""
    from core.tasks import sweep_task

    broker = os.environ.get("CELERY_BROKER_URL", "")
    require(broker.startswith("redis://"), "needs a Redis broker: set CELERY_BROKER_URL")
    reported = timezone.now() - dt.timedelta(days=30)
    results = [ResultFactory(abnormal=i % 2 == 0, reported_at=reported) for i in range(6)]
    second_queue = f"interface-test-{uuid.uuid4().hex[:8]}"
    holder = harness.raw_connection()
    try:
        with harness.celery_worker(broker=broker, queue=second_queue):
            with holder.cursor() as cursor:
                cursor.execute("SELECT id FROM diagnostics_result FOR UPDATE")
                sweep_task.apply_async(
                    args=["diagnostics.result_alerts"], queue=celery_worker_queue
                )
                sweep_task.apply_async(args=["diagnostics.result_alerts"], queue=second_queue)
                _wait_for(lambda: _sweeps_waiting_on_locks() == 2, what="both sweeps to wait")
            holder.rollback()  # let both go at once
            _wait_for(
                lambda: (
                    not Result.objects.filter(alerted_at__isnull=True).exists()
                    and _sweeps_waiting_on_locks() == 0
                ),
                what="the sweeps to finish",
            )
            time.sleep(1)  # the slower sweep's commit, were it to raise anything
    finally:
        holder.close()
    keys = list(Alert.objects.filter(kind=ALERT_KIND).values_list("key", flat=True))
    assert len(keys) == len(results) == len(set(keys))
    recipients = set(Alert.objects.filter(kind=ALERT_KIND).values_list("recipient_id", flat=True))
    assert recipients == {r.responsible_id for r in results}
