"""Diagnostics in the Django admin: read-only, and every read of a booking or a result audited
(client "admin"): the list one event per row shown, a record opened one."""

import pytest

from audit.models import AuditEvent
from tests.diagnostics.factories import BookingFactory, ResultFactory
from tests.factories import UserFactory
from tests.helpers import signed_in

pytestmark = pytest.mark.django_db

BOOKINGS = "/admin/diagnostics/booking/"
RESULTS = "/admin/diagnostics/result/"


@pytest.fixture
def admin_user(client):
    return signed_in(
        client, UserFactory(role="admin", organisation=None, is_staff=True, is_superuser=True)
    )


def events() -> list[tuple]:
    return sorted(
        AuditEvent.objects.filter(client="admin").values_list("action", "object_type", "patient_id")
    )


def test_the_admin_index_lists_the_diagnostics_models(client, admin_user):
    body = client.get("/admin/").content.decode()
    assert all(
        f'href="/admin/diagnostics/{name}/"' in body
        for name in ("booking", "result", "slot", "testtype")
    )


def test_the_booking_list_audits_one_list_event_per_row_shown(client, admin_user):
    bookings = BookingFactory.create_batch(2)
    assert client.get(BOOKINGS).status_code == 200
    assert events() == sorted(("list", "diagnostic_booking", b.patient_id) for b in bookings)


def test_opening_a_result_audits_one_view_of_its_patient(client, admin_user):
    result = ResultFactory()
    assert client.get(f"{RESULTS}{result.pk}/change/").status_code == 200
    assert events() == [("view", "diagnostic_result", result.booking.patient_id)]


def test_results_cannot_be_added_changed_or_deleted_in_the_admin(client, admin_user):
    result = ResultFactory()
    responses = [
        client.get(f"{RESULTS}add/").status_code,
        client.post(f"{RESULTS}{result.pk}/change/", {"abnormal": "on"}).status_code,
        client.get(f"{RESULTS}{result.pk}/delete/").status_code,
    ]
    result.refresh_from_db()
    assert (responses, result.abnormal) == ([403, 403, 403], False)
