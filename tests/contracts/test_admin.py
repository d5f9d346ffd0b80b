"""Contracts in the Django admin: read-only, every read of a record that names a patient
audited (client "admin")."""

from __future__ import annotations

import pytest

from audit.models import AuditEvent
from tests.contracts.factories import BreachReportFactory, ObligationFactory
from tests.factories import UserFactory
from tests.helpers import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user(client):
    return signed_in(
        client, UserFactory(role="admin", organisation=None, is_staff=True, is_superuser=True)
    )


@pytest.mark.parametrize("model", ["obligation", "discharge", "attendance", "breachreport"])
def test_each_list_opens_and_offers_no_add(client, admin_user, model):
    ObligationFactory()
    BreachReportFactory()
    response = client.get(f"/admin/contracts/{model}/")
    assert response.status_code == 200
    assert f"/admin/contracts/{model}/add/" not in response.content.decode()
    assert client.get(f"/admin/contracts/{model}/add/").status_code == 403


def test_the_obligation_list_audits_one_event_per_row(client, admin_user):
    obligation = ObligationFactory()
    client.get("/admin/contracts/obligation/")
    assert list(
        AuditEvent.objects.filter(client="admin").values_list("action", "object_type", "patient_id")
    ) == [("list", "obligation", obligation.patient_id)]


def test_opening_a_breach_report_audits_a_view(client, admin_user):
    report = BreachReportFactory()
    response = client.get(f"/admin/contracts/breachreport/{report.pk}/change/")
    assert response.status_code == 200
    assert AuditEvent.objects.filter(
        client="admin", action="view", object_type="breach_report", patient=report.patient
    ).exists()
