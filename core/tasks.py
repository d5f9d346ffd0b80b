"""The beat entry of every sweep: one periodic task per sweep in ``CELERY_BEAT_SCHEDULE``, each
naming its sweep (docs/architecture.md, "Follow-up work and sweeps")."""

from celery import shared_task

from core.sweeps import run


@shared_task(acks_late=True, reject_on_worker_lost=True)
def sweep_task(name: str) -> str:
    """Run the sweep registered as ``name``; sweeps are idempotent, so a redelivery is safe."""
    return run(name)
