"""The access matrix's world, built once per module, and its cell count in pytest's summary."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings

from tests.access.scenario import World, build_world

CELL_TEST = "test_access_matrix.py::test_cell["
CELL_COUNT = pytest.StashKey[int]()


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> World:
    """Both scenarios, built once and shared by every cell of the module.

    They are written inside a transaction held open for the module; each cell runs inside it
    in a savepoint of its own (pytest-django's per-test transaction), so whatever a cell
    writes is rolled back before the next, and the world itself is rolled back at the end.
    Building it per cell would cost more than the thousand requests together.
    """
    from triage.models import TreatmentFunction
    from triage.reference_data import TREATMENT_FUNCTIONS, treatment_functions_load

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        # The production hasher costs half a second per user (tests/conftest.py).
        with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
            if TreatmentFunction.objects.count() < len(TREATMENT_FUNCTIONS):
                treatment_functions_load(TreatmentFunction)
            built = build_world()
    yield built
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture(scope="module")
def matrix_client() -> Client:
    """One test client for every cell: a client's first request loads the middleware, and
    WhiteNoise's scan of the static files alone costs 0.4 s."""
    return Client()


def pytest_collection_modifyitems(session, config, items) -> None:
    config.stash[CELL_COUNT] = sum(CELL_TEST in item.nodeid for item in items)


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    cells = config.stash.get(CELL_COUNT, 0)
    if not cells:
        return
    outcomes = {
        outcome: sum(
            CELL_TEST in report.nodeid for report in terminalreporter.stats.get(outcome, [])
        )
        for outcome in ("passed", "failed")
    }
    terminalreporter.write_line(
        f"access matrix: {cells} cells ({outcomes['passed']} passed, {outcomes['failed']} failed)"
    )
