"""Every action the diagnostics pages accept has its cells in the access matrix."""

from diagnostics.web.views.bookings import BOOKING_ACTIONS
from diagnostics.web.views.results import RESULT_ACTIONS
from tests.access.matrix.diagnostics import PAGE_ENTRIES


def variants(name: str) -> set[str]:
    return {entry.variant for entry in PAGE_ENTRIES if entry.name == name}


def test_every_booking_action_has_an_entry():
    assert variants("diagnostics:booking-action") == set(BOOKING_ACTIONS)


def test_every_result_action_has_an_entry():
    assert variants("diagnostics:result-action") == set(RESULT_ACTIONS)
