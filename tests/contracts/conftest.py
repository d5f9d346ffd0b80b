"""Shared fixtures of the contracts tests."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from core import sweeps

SWEEP = "contracts.obligations_overdue"


@pytest.fixture
def contracts_sweep_only(monkeypatch):
    """``run_sweeps`` with this app's sweep alone registered: the other apps' sweeps have tests
    of their own, and a contracts test must not depend on their state."""
    monkeypatch.setattr(sweeps, "_sweeps", {SWEEP: sweeps._sweeps[SWEEP]})


def run_sweeps() -> str:
    out = io.StringIO()
    call_command("run_sweeps", stdout=out)
    return out.getvalue()
