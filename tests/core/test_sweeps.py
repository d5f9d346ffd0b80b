"""The sweep registry and ``manage.py run_sweeps`` (docs/product.md §8; docs/architecture.md,
"Follow-up work and sweeps")."""

import io

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from core import sweeps
from core.sweeps import register_sweep, sweep_names
from core.tasks import sweep_task
from tests.factories import TrustFactory
from triage.models import QueueRecomputeRequest


def run_sweeps() -> str:
    out = io.StringIO()
    call_command("run_sweeps", stdout=out)
    return out.getvalue()


@pytest.fixture
def registry(monkeypatch):
    """A copy of the registry, so a test's sweeps do not outlive it."""
    monkeypatch.setattr(sweeps, "_sweeps", dict(sweeps._sweeps))


@pytest.mark.django_db
def test_run_sweeps_runs_every_registered_sweep_and_prints_what_each_did():
    output = run_sweeps()
    assert "triage.queue_recompute_requests: 0 queue(s) recomputed" in output
    assert "core.idempotency_expired: 0 expired Idempotency-Key record(s) deleted." in output


@pytest.mark.django_db
def test_run_sweeps_twice_does_the_recorded_work_once():
    QueueRecomputeRequest.objects.create(provider=TrustFactory(), treatment_function="110")
    first, second = run_sweeps(), run_sweeps()
    assert "triage.queue_recompute_requests: 1 queue(s) recomputed" in first
    assert "triage.queue_recompute_requests: 0 queue(s) recomputed" in second


@pytest.mark.django_db
def test_a_failing_sweep_is_reported_the_others_still_run_and_the_command_fails(registry):
    def failing() -> str:
        raise RuntimeError("the disk is full")

    register_sweep("test.failing", failing)
    register_sweep("test.after", lambda: "ran after the failure")
    out = io.StringIO()
    with pytest.raises(CommandError, match=r"1 sweep\(s\) failed: test\.failing"):
        call_command("run_sweeps", stdout=out)
    assert "test.failing: failed: RuntimeError: the disk is full" in out.getvalue()
    assert "test.after: ran after the failure" in out.getvalue()


def test_another_function_under_a_taken_name_is_refused(registry):
    register_sweep("test.once", lambda: "one")
    with pytest.raises(ValueError, match=r"test\.once"):
        register_sweep("test.once", lambda: "another")


def test_every_sweep_has_its_periodic_task_in_the_beat_schedule():
    scheduled = {
        entry["args"][0]
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == "core.tasks.sweep_task"
    }
    assert scheduled == set(sweep_names())


def test_the_queue_sweep_runs_every_few_minutes_by_default():
    entry = settings.CELERY_BEAT_SCHEDULE["sweep-triage.queue_recompute_requests"]
    assert entry["schedule"].total_seconds() == settings.SWEEP_QUEUE_RECOMPUTE_MINUTES * 60 == 300


@pytest.mark.django_db
def test_the_beat_task_runs_the_sweep_it_names():
    result = sweep_task.delay("core.idempotency_expired").get()
    assert result == "0 expired Idempotency-Key record(s) deleted."


def test_an_unknown_sweep_name_is_refused_naming_the_registered_ones():
    with pytest.raises(KeyError, match=r"registered: .*triage\.queue_recompute_requests"):
        sweeps.run("no.such.sweep")
