"""Prescribing in the Django admin: read-only, so nothing (a prescription under an agreement
not yet accepted above all) can be written past the services; every read of a prescription or
an agreement is audited (client "admin")."""

from __future__ import annotations

import pytest

from audit.models import AuditEvent
from prescribing.models import Prescription
from tests.factories import UserFactory
from tests.helpers import signed_in
from tests.prescribing.factories import AgreementFactory, BudgetFactory, PrescriptionFactory

pytestmark = pytest.mark.django_db

PRESCRIPTIONS = "/admin/prescribing/prescription/"
AGREEMENTS = "/admin/prescribing/sharedcareagreement/"


@pytest.fixture
def admin_user(client):
    return signed_in(
        client, UserFactory(role="admin", organisation=None, is_staff=True, is_superuser=True)
    )


def events() -> list[tuple]:
    return sorted(
        AuditEvent.objects.filter(client="admin").values_list("action", "object_type", "patient_id")
    )


def test_the_admin_cannot_add_or_change_a_prescription(client, admin_user):
    prescription = PrescriptionFactory()
    assert client.get(f"{PRESCRIPTIONS}add/").status_code == 403
    response = client.post(f"{PRESCRIPTIONS}{prescription.pk}/change/", {"status": "dispensed"})
    assert response.status_code == 403
    assert Prescription.objects.get().status == "issued"


def test_the_admin_cannot_prescribe_under_an_agreement_by_adding_a_prescription(client, admin_user):
    AgreementFactory()
    response = client.post(f"{PRESCRIPTIONS}add/", {"shared_care": "1"})
    assert response.status_code == 403
    assert not Prescription.objects.exists()


def test_the_prescription_list_audits_one_list_event_per_row_shown(client, admin_user):
    prescriptions = PrescriptionFactory.create_batch(2)
    assert client.get(PRESCRIPTIONS).status_code == 200
    assert events() == sorted(("list", "prescription", p.patient_id) for p in prescriptions)


def test_opening_an_agreement_audits_one_view(client, admin_user):
    agreement = AgreementFactory()
    assert client.get(f"{AGREEMENTS}{agreement.pk}/change/").status_code == 200
    assert events() == [("view", "shared_care_agreement", agreement.patient_id)]


def test_budgets_are_shown_read_only_and_name_no_patient(client, admin_user):
    budget = BudgetFactory()
    assert client.get("/admin/prescribing/budget/").status_code == 200
    assert client.get(f"/admin/prescribing/budget/{budget.pk}/change/").status_code == 200
    assert events() == []
