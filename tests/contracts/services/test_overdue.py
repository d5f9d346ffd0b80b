"""The overdue sweep: set-based marking and exactly one alert per breach to the provider and to
the patient's practice, whatever runs twice, at once, or dies half way (docs/product.md §5)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from alerts.models import Alert
from contracts.models import ObligationStatus
from contracts.services import overdue
from contracts.services.overdue import alert_key, obligations_mark_overdue
from devtools.benchmark import harness
from tests.contracts.conftest import run_sweeps
from tests.contracts.factories import DischargeFactory, ObligationFactory, at_hours_ago

pytestmark = pytest.mark.usefixtures("contracts_sweep_only")


def past_due(n: int = 1) -> list:
    return [
        ObligationFactory(discharge=DischargeFactory(discharged_at=at_hours_ago(30 + i)))
        for i in range(n)
    ]


def keys_of(obligations) -> set[str]:
    return {alert_key(o.uuid, r) for o in obligations for r in ("provider", "practice")}


@pytest.mark.django_db
def test_an_obligation_not_yet_due_is_left_open():
    obligation = ObligationFactory(discharge=DischargeFactory(discharged_at=at_hours_ago(23)))
    assert "0 obligation(s) marked overdue" in run_sweeps()
    obligation.refresh_from_db()
    assert obligation.status == ObligationStatus.OPEN
    assert not Alert.objects.exists()


@pytest.mark.django_db
def test_a_past_due_obligation_is_marked_and_alerts_provider_and_practice_once_each():
    [obligation] = past_due()
    run_sweeps()
    obligation.refresh_from_db()
    assert obligation.status == ObligationStatus.OVERDUE and obligation.overdue_at is not None
    alerts = {a.key: a for a in Alert.objects.all()}
    assert set(alerts) == keys_of([obligation])
    provider_alert = alerts[alert_key(obligation.uuid, "provider")]
    practice_alert = alerts[alert_key(obligation.uuid, "practice")]
    assert provider_alert.organisation_id == obligation.provider_id
    assert practice_alert.organisation_id == obligation.patient.registered_practice_id
    assert provider_alert.patient_id == practice_alert.patient_id == obligation.patient_id
    assert provider_alert.link == f"/contracts/obligations/{obligation.uuid}/"


@pytest.mark.django_db
def test_alert_subjects_name_no_patient():
    [obligation] = past_due()
    run_sweeps()
    patient = obligation.patient
    for subject in Alert.objects.values_list("subject", flat=True):
        assert patient.nhs_number not in subject
        assert patient.family_name not in subject and patient.given_name not in subject


@pytest.mark.django_db
def test_a_fulfilled_obligation_past_due_is_never_marked():
    [obligation] = past_due()
    obligation.status, obligation.fulfilled_at = ObligationStatus.MET_LATE, at_hours_ago(1)
    obligation.save()
    run_sweeps()
    assert not Alert.objects.exists()


@pytest.mark.django_db
def test_batches_mark_everything_past_due_in_one_run():
    obligations = past_due(7)
    result = obligations_mark_overdue(batch=3)
    assert (result.marked, result.alerts, result.batches) == (7, 14, 3)
    assert set(Alert.objects.values_list("key", flat=True)) == keys_of(obligations)


@pytest.mark.django_db
def test_a_second_run_marks_and_raises_nothing():
    past_due(3)
    run_sweeps()
    assert "0 obligation(s) marked overdue; 0 alert(s) raised." in run_sweeps()
    assert Alert.objects.count() == 6


@pytest.mark.django_db(transaction=True)
def test_a_run_that_dies_after_marking_leaves_nothing_and_the_rerun_raises_each_once(
    monkeypatch,
):
    """The marks and the alerts commit together: a run killed between them (here, the alerts
    insert failing as a dying worker's would) rolls back its marks too."""
    obligations = past_due(3)

    def dies(drafts):
        raise SystemExit("worker killed")

    monkeypatch.setattr(overdue, "alerts_raise", dies)
    with pytest.raises(SystemExit):
        obligations_mark_overdue()
    assert {o.status for o in type(obligations[0]).objects.all()} == {ObligationStatus.OPEN}
    assert not Alert.objects.exists()
    monkeypatch.undo()

    result = obligations_mark_overdue()

    assert (result.marked, result.alerts) == (3, 6)
    assert set(Alert.objects.values_list("key", flat=True)) == keys_of(obligations)


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_raise_each_alert_exactly_once(postgres):
    """The first run marks the rows and then waits, its transaction open, on an alert key a
    third session holds uncommitted; the second run, started meanwhile, skips the rows the
    first holds and raises nothing. Once the first commits, each alert exists once."""
    obligations = past_due(4)
    blocked_key = alert_key(obligations[0].uuid, "provider")
    holder = harness.raw_connection()
    try:
        with holder.cursor() as cursor:
            cursor.execute(
                "INSERT INTO alerts_alert (uuid, kind, key, subject, link, organisation_id, "
                "created_at) VALUES (gen_random_uuid(), 'test', %s, 'held', '', %s, now())",
                [blocked_key, obligations[0].provider_id],
            )
        results = {}

        def first_run():
            try:
                results["first"] = obligations_mark_overdue()
            finally:
                connections.close_all()

        thread = threading.Thread(target=first_run)
        thread.start()
        harness_wait_for_lock_waiter()
        results["second"] = obligations_mark_overdue()
        holder.rollback()  # the held key goes away: the first run raises it itself
        thread.join(timeout=30)
    finally:
        holder.close()
    assert (results["second"].marked, results["second"].alerts) == (0, 0)
    assert (results["first"].marked, results["first"].alerts) == (4, 8)
    assert sorted(Alert.objects.values_list("key", flat=True)) == sorted(keys_of(obligations))


def harness_wait_for_lock_waiter(seconds: float = 20) -> None:
    """Until a session waits on a transaction lock (the first run's alert insert)."""
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
            if cursor.fetchone()[0]:
                return
        time.sleep(0.05)
    raise AssertionError("the first run never reached its alerts")
