"""Budget alerts (docs/product.md §4): each committee member is alerted once at 80% and once at
100% of the budget, however often, and however many at once, the sweep runs."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from celery.result import AsyncResult
from django.db import connections
from django.utils import timezone

from alerts.models import Alert
from core.sweeps import run as run_sweep
from core.tasks import sweep_task
from prescribing.models import PrescriptionStatus
from prescribing.services.budget_alerts import ALERT_KIND, budget_alerts_sweep
from prescribing.services.prescriptions import prescription_dispense
from tests.prescribing.factories import BudgetFactory, PrescriptionFactory
from tests.prescribing.helpers import CONTEXT


def spend(budget, cost: str, *, dispensed: bool = True):
    return PrescriptionFactory(
        patient__registered_practice__icb=budget.icb,
        budget=budget,
        total_cost=Decimal(cost),
        status=PrescriptionStatus.DISPENSED if dispensed else PrescriptionStatus.ISSUED,
        dispensed_at=timezone.now() if dispensed else None,
    )


def budget_alert_keys() -> list[str]:
    return sorted(Alert.objects.filter(kind=ALERT_KIND).values_list("key", flat=True))


@pytest.mark.django_db
def test_at_80_percent_each_committee_member_gets_one_alert():
    budget = BudgetFactory(amount=Decimal("1000.00"))
    spend(budget, "800.00")
    assert budget_alerts_sweep() == "3 budget threshold alerts raised"
    members = sorted(budget.committee.values_list("username", flat=True))
    assert budget_alert_keys() == sorted(
        f"prescribing.budget:{budget.uuid}:80:{username}" for username in members
    )


@pytest.mark.django_db
def test_a_second_sweep_raises_nothing_new():
    budget = BudgetFactory(amount=Decimal("1000.00"))
    spend(budget, "1000.00")
    assert budget_alerts_sweep().startswith("6 ")
    assert budget_alerts_sweep().startswith("0 ")
    assert len(budget_alert_keys()) == 6


@pytest.mark.django_db
def test_passing_100_percent_later_adds_only_the_100_percent_alerts():
    budget = BudgetFactory(amount=Decimal("1000.00"))
    spend(budget, "850.00")
    budget_alerts_sweep()
    spend(budget, "150.00")
    assert budget_alerts_sweep().startswith("3 ")
    assert sum(":100:" in key for key in budget_alert_keys()) == 3


@pytest.mark.django_db
def test_committed_spend_alone_raises_no_alert():
    budget = BudgetFactory(amount=Decimal("1000.00"))
    spend(budget, "999.99", dispensed=False)
    assert budget_alerts_sweep().startswith("0 ")


@pytest.mark.django_db
def test_the_alert_names_no_patient_and_links_to_the_budget():
    budget = BudgetFactory(amount=Decimal("100.00"))
    prescription = spend(budget, "80.00")
    budget_alerts_sweep()
    alert = Alert.objects.filter(kind=ALERT_KIND).first()
    assert alert.link == f"/prescribing/budgets/{budget.uuid}/"
    assert alert.patient_id is None
    assert prescription.patient.family_name not in alert.subject
    assert "80%" in alert.subject


@pytest.mark.django_db
def test_the_dispensing_that_passes_a_threshold_alerts_at_once():
    budget = BudgetFactory(amount=Decimal("100.00"))
    prescription = spend(budget, "90.00", dispensed=False)
    prescription_dispense(prescription=prescription, actor=prescription.prescriber, context=CONTEXT)
    assert len(budget_alert_keys()) == 3


@pytest.mark.django_db
def test_the_thresholds_are_settings(settings):
    settings.PRESCRIBING_BUDGET_ALERT_PERCENTS = (50, 90)
    budget = BudgetFactory(amount=Decimal("100.00"))
    spend(budget, "60.00")
    budget_alerts_sweep()
    assert all(":50:" in key for key in budget_alert_keys())


@pytest.mark.django_db
def test_the_sweep_is_registered_and_run_by_name():
    budget = BudgetFactory(amount=Decimal("100.00"))
    spend(budget, "100.00")
    assert run_sweep("prescribing.budget_alerts").startswith("6 ")


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_raise_each_alert_once(postgres):
    budget = BudgetFactory(amount=Decimal("1000.00"))
    spend(budget, "1000.00")
    barrier = threading.Barrier(2)
    raised: list[int] = []

    def sweep() -> None:
        try:
            barrier.wait()
            raised.append(int(budget_alerts_sweep().split()[0]))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(raised) == 6
    assert len(budget_alert_keys()) == 6


def test_sweeps_on_a_real_worker_and_in_process_at_once_raise_each_alert_once(
    worker_results, celery_worker_queue
):
    queue, results = celery_worker_queue, worker_results
    budget = BudgetFactory(amount=Decimal("1000.00"))
    spend(budget, "1000.00")
    in_process: list[str] = []

    def sweep() -> None:
        try:
            in_process.append(budget_alerts_sweep())
        finally:
            connections.close_all()

    # Two sweeps sent to the worker through Redis and one run here, all at once.
    sent = [
        sweep_task.apply_async(args=["prescribing.budget_alerts"], queue=queue, ignore_result=False)
        for _ in range(2)
    ]
    thread = threading.Thread(target=sweep)
    thread.start()
    thread.join()
    on_worker = [AsyncResult(task.id, backend=results).get(timeout=120) for task in sent]
    raised = [int(summary.split()[0]) for summary in (*on_worker, *in_process)]
    assert sum(raised) == 6
    assert len(budget_alert_keys()) == 6
