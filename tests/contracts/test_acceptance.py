"""The issue's acceptance scenarios, end to end through the API and ``run_sweeps``
(docs/product.md §5)."""

from __future__ import annotations

import threading

import pytest
from django.db import connections
from django.urls import reverse

from alerts.models import Alert
from contracts.models import Duty, Obligation, ObligationStatus
from tests.contracts.conftest import run_sweeps
from tests.contracts.factories import at_hours_ago
from tests.factories import ConsultantFactory, GPFactory, PatientFactory, TrustFactory
from tests.helpers import api_client_for
from tests.triage.factories import ReferralFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("contracts_sweep_only")]


def alerts_for(obligation: Obligation) -> list[tuple[str, int]]:
    return list(
        Alert.objects.filter(key__startswith=f"contracts.overdue:{obligation.uuid}:")
        .order_by("key")
        .values_list("key", "organisation_id")
    )


@pytest.fixture
def provider_and_patient():
    trust = TrustFactory()
    consultant = ConsultantFactory(organisation=trust)
    patient = PatientFactory()
    ReferralFactory(patient=patient, provider=trust)  # the trust's relationship with the patient
    return trust, consultant, patient


def record_discharge(consultant, patient, hours_ago: float):
    response = api_client_for(consultant).post(
        reverse("api-contracts-discharges"),
        {
            "nhs_number": patient.nhs_number,
            "kind": "inpatient",
            "discharged_at": at_hours_ago(hours_ago).isoformat(),
            "medication_days": 14,
            "fit_note": "not_needed",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    return response.json()


def test_a_discharge_30_hours_ago_without_summary_is_overdue_after_one_sweep_alerting_each_once(
    provider_and_patient,
):
    trust, consultant, patient = provider_and_patient
    record_discharge(consultant, patient, hours_ago=30)
    summary = Obligation.objects.get(duty=Duty.DISCHARGE_SUMMARY)

    output = run_sweeps()

    summary.refresh_from_db()
    assert summary.status == ObligationStatus.OVERDUE
    assert "contracts.obligations_overdue: 1 obligation(s) marked overdue; 2 alert(s)" in output
    assert alerts_for(summary) == [
        (f"contracts.overdue:{summary.uuid}:practice", patient.registered_practice_id),
        (f"contracts.overdue:{summary.uuid}:provider", trust.pk),
    ]


def test_two_more_sweeps_raise_nothing_new_and_a_late_summary_closes_it_met_late(
    provider_and_patient,
):
    _, consultant, patient = provider_and_patient
    record_discharge(consultant, patient, hours_ago=30)
    summary = Obligation.objects.get(duty=Duty.DISCHARGE_SUMMARY)
    run_sweeps()

    again = run_sweeps() + run_sweeps()

    assert again.count("0 obligation(s) marked overdue; 0 alert(s) raised.") == 2
    assert len(alerts_for(summary)) == 2
    response = api_client_for(consultant).post(
        reverse("api-contracts-obligation-fulfil", args=[summary.uuid]), {}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "met_late"
    summary.refresh_from_db()
    assert (summary.status, summary.fulfilled_by) == (ObligationStatus.MET_LATE, consultant)


@pytest.mark.django_db(transaction=True)
def test_after_the_first_sweep_two_concurrent_runs_raise_nothing_new(postgres):
    trust = TrustFactory()
    consultant = ConsultantFactory(organisation=trust)
    patient = PatientFactory()
    ReferralFactory(patient=patient, provider=trust)
    record_discharge(consultant, patient, hours_ago=30)
    run_sweeps()
    barrier = threading.Barrier(2)
    outputs = []

    def sweep():
        try:
            barrier.wait(timeout=10)
            outputs.append(run_sweeps())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert [o.count("0 obligation(s) marked overdue; 0 alert(s) raised.") for o in outputs] == [
        1,
        1,
    ]
    assert Alert.objects.filter(key__startswith="contracts.overdue:").count() == 2


def test_a_gp_reporting_rereferral_after_dna_gets_a_letter_naming_trust_date_patient_and_duty():
    gp = GPFactory()
    patient = PatientFactory(registered_practice=gp.organisation)
    trust = TrustFactory(name="Barts Health NHS Trust", ods_code="R1H")
    response = api_client_for(gp).post(
        reverse("api-contracts-breach-reports"),
        {
            "duty": "rereferral_after_dna",
            "provider": "R1H",
            "nhs_number": patient.nhs_number,
            "occurred_on": "2026-01-12",
            "description": "Clinic letter: 'patient did not attend; please re-refer if needed'.",
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    letter = response.json()["letter"]
    assert "Barts Health NHS Trust (R1H)" in letter
    assert trust.icb.name in letter
    assert "12 January 2026" in letter
    assert f"NHS number {patient.nhs_number_display}" in letter
    assert "re-refer after a dna" in letter.lower()
    assert "SC8" in letter
