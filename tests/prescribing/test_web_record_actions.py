"""The actions on a prescription's or an agreement's page, which both pages post the same way:
the actions offered in the record's status, an unknown action, and a stale page's POST."""

from __future__ import annotations

import pytest
from django.urls import reverse

from prescribing.models import AgreementStatus
from tests.helpers import signed_in
from tests.prescribing.factories import AgreementFactory, PrescriptionFactory
from tests.prescribing.helpers import setting

pytestmark = pytest.mark.django_db


def offered(response) -> list[str]:
    return [entry["action"].slug for entry in response.context["actions"]]


def test_the_prescriber_is_offered_dispensing_and_cancelling_an_issued_prescription(client):
    s = setting()
    prescription = PrescriptionFactory(patient=s.patient, prescriber=s.consultant, budget=s.budget)
    signed_in(client, s.consultant)
    response = client.get(reverse("prescribing:prescription-detail", args=[prescription.uuid]))
    assert offered(response) == ["dispense", "cancel"]


def test_a_dispensed_prescription_offers_no_action(client):
    s = setting()
    prescription = PrescriptionFactory(patient=s.patient, prescriber=s.consultant, budget=s.budget)
    signed_in(client, s.consultant)
    client.post(reverse("prescribing:prescription-action", args=[prescription.uuid, "dispense"]))
    response = client.get(reverse("prescribing:prescription-detail", args=[prescription.uuid]))
    assert offered(response) == []


def test_an_action_a_prescription_does_not_have_is_404(client):
    s = setting()
    prescription = PrescriptionFactory(patient=s.patient, prescriber=s.consultant, budget=s.budget)
    signed_in(client, s.consultant)
    url = reverse("prescribing:prescription-action", args=[prescription.uuid, "renew"])
    assert client.post(url).status_code == 404


def test_dispensing_again_from_a_stale_page_shows_the_prescription_with_409(client):
    s = setting()
    prescription = PrescriptionFactory(patient=s.patient, prescriber=s.consultant, budget=s.budget)
    signed_in(client, s.consultant)
    url = reverse("prescribing:prescription-action", args=[prescription.uuid, "dispense"])
    client.post(url)
    response = client.post(url)
    assert response.status_code == 409
    assert response.context["error_form"].non_field_errors() == [
        "This prescription is already dispensed."
    ]


def test_the_gp_named_is_offered_accepting_and_declining_a_proposal(client):
    s = setting()
    agreement = AgreementFactory(patient=s.patient, consultant=s.consultant, gp=s.gp)
    signed_in(client, s.gp)
    response = client.get(reverse("prescribing:shared-care-detail", args=[agreement.uuid]))
    assert offered(response) == ["accept", "decline"]


def test_ending_an_agreement_again_from_a_stale_page_is_409_and_keeps_the_first_reason(client):
    s = setting()
    agreement = AgreementFactory(
        patient=s.patient, consultant=s.consultant, gp=s.gp, status=AgreementStatus.ACTIVE
    )
    signed_in(client, s.consultant)
    url = reverse("prescribing:shared-care-action", args=[agreement.uuid, "end"])
    client.post(url, {"end-reason": "Stopped."})
    response = client.post(url, {"end-reason": "Changed."})
    assert response.status_code == 409
    agreement.refresh_from_db()
    assert agreement.end_reason == "Stopped."
