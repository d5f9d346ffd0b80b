"""Thin tasks: ids in, call the service. Recomputation is idempotent, so acks are late and a
task whose worker dies is delivered again (docs/architecture.md, "Follow-up work and sweeps")."""

from celery import shared_task

from triage.services.queue import queue_recompute, queue_recompute_requested


@shared_task(acks_late=True, reject_on_worker_lost=True)
def queue_recompute_task() -> dict[str, int]:
    """Nightly (beat) and on demand: every provider's queues."""
    return queue_recompute().as_dict()


@shared_task(acks_late=True, reject_on_worker_lost=True)
def queue_recompute_provider_task(
    provider_id: int, treatment_function_id: str | None = None
) -> dict[str, int]:
    """Sent on commit after each review, import or status change: carries out that service's
    recorded recomputation requests, or nothing if a sweep or an earlier task already did."""
    return queue_recompute_requested(provider_id, treatment_function_id).as_dict()
