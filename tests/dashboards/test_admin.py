"""The snapshots in the Django admin: shown to staff, never added, changed or deleted there."""

from __future__ import annotations

import pytest

from tests.dashboards.factories import ServiceSnapshotFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    client.force_login(
        UserFactory(role="admin", organisation=None, is_staff=True, is_superuser=True)
    )
    return client


def test_the_snapshots_are_listed_in_the_admin(staff):
    row = ServiceSnapshotFactory()
    response = staff.get("/admin/dashboards/servicesnapshot/")
    assert response.status_code == 200
    assert row.provider.name in response.content.decode()


def test_a_snapshot_cannot_be_added_or_deleted_in_the_admin(staff):
    row = ServiceSnapshotFactory()
    assert staff.get("/admin/dashboards/servicesnapshot/add/").status_code == 403
    assert staff.post(f"/admin/dashboards/servicesnapshot/{row.pk}/delete/").status_code == 403
