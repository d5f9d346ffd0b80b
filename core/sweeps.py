"""The registry of sweeps: scheduled jobs that do whatever was recorded and not yet done.

Follow-up work is written down in the transaction of the change that needs it and sent to the
worker on commit as best effort; a sweep catches up with what was lost on the way (a failed
send, a dead broker, a killed worker), so a failure delays work and never loses it
(docs/architecture.md, "Follow-up work and sweeps"). Each app registers its sweeps from
``AppConfig.ready()``; ``manage.py run_sweeps`` runs them all in-process, and beat runs each
through ``core.tasks.sweep_task`` (``CELERY_BEAT_SCHEDULE``).

A sweep takes no arguments, returns one line saying what it did, and is safe to run twice or
concurrently: nothing it does is done twice.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

logger = logging.getLogger(__name__)

Sweep = Callable[[], str]

_sweeps: dict[str, Sweep] = {}


def register_sweep(name: str, function: Sweep) -> None:
    """Register ``function`` under ``name`` (call from ``AppConfig.ready()``). Registering the
    same function again is harmless; another function under a taken name is a mistake."""
    existing = _sweeps.get(name)
    if existing is not None and existing is not function:
        raise ValueError(f"A sweep named {name!r} is already registered ({existing!r}).")
    _sweeps[name] = function


def sweep_names() -> list[str]:
    return list(_sweeps)


@dataclass(frozen=True)
class SweepOutcome:
    name: str
    ok: bool
    summary: str
    seconds: float


def run(name: str) -> str:
    """Run one sweep by name and return what it did (the beat task's entry)."""
    try:
        function = _sweeps[name]
    except KeyError:
        raise KeyError(f"No sweep named {name!r}; registered: {', '.join(_sweeps)}.") from None
    return function()


def run_all(*, on_done: Callable[[SweepOutcome], None] | None = None) -> list[SweepOutcome]:
    """Run every registered sweep once, in registration order; ``on_done`` hears of each as it
    finishes. One that fails is logged and reported, and the others still run."""
    outcomes = []
    for name, function in _sweeps.items():
        started = time.perf_counter()
        try:
            summary, ok = function(), True
        except Exception as exc:
            logger.exception("Sweep %s failed", name)
            summary, ok = f"failed: {type(exc).__name__}: {exc}", False
        outcome = SweepOutcome(name, ok, summary, time.perf_counter() - started)
        outcomes.append(outcome)
        if on_done is not None:
            on_done(outcome)
    return outcomes
