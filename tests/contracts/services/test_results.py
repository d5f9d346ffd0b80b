"""The diagnostics event opens ``result_to_patient`` for a provider that requested the test
(docs/product.md §3, §5). The event is published here as the diagnostics service does."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.db import transaction

from contracts.models import Duty, Obligation, ObligationStatus
from core.events import publish
from tests.contracts.factories import at_hours_ago
from tests.factories import (
    CommunityProviderFactory,
    DiagnosticHubFactory,
    PatientFactory,
    TrustFactory,
)

pytestmark = pytest.mark.django_db


def result_recorded(requester, patient, *, result_uuid=None, reported_at=None):
    publish(
        "diagnostics.result_recorded",
        result_uuid=result_uuid or uuid.uuid4(),
        patient_id=patient.pk,
        requester_organisation_id=requester.pk,
        hub_id=DiagnosticHubFactory().pk,
        reported_at=reported_at or at_hours_ago(1),
        link="/diagnostics/results/abc/",
    )


@pytest.mark.parametrize("provider_factory", [TrustFactory, CommunityProviderFactory])
def test_a_providers_result_opens_result_to_patient_due_14_days_after_it_was_reported(
    provider_factory,
):
    provider, patient, reported = provider_factory(), PatientFactory(), at_hours_ago(2)
    result_recorded(provider, patient, reported_at=reported)
    obligation = Obligation.objects.get()
    assert (obligation.duty, obligation.provider, obligation.patient) == (
        Duty.RESULT_TO_PATIENT,
        provider,
        patient,
    )
    assert obligation.due_at == reported + timedelta(days=14)
    assert obligation.status == ObligationStatus.OPEN
    assert obligation.source_link == "/diagnostics/results/abc/"


def test_a_gp_practices_own_request_opens_nothing():
    patient = PatientFactory()
    result_recorded(patient.registered_practice, patient)
    assert not Obligation.objects.exists()


def test_the_same_event_delivered_twice_opens_one_obligation():
    provider, patient, result = TrustFactory(), PatientFactory(), uuid.uuid4()
    result_recorded(provider, patient, result_uuid=result)
    result_recorded(provider, patient, result_uuid=result)
    assert Obligation.objects.count() == 1


def test_the_due_time_is_a_setting(settings):
    settings.CONTRACTS_RESULT_TO_PATIENT_DAYS = 5
    reported = at_hours_ago(1)
    result_recorded(TrustFactory(), PatientFactory(), reported_at=reported)
    assert Obligation.objects.get().due_at == reported + timedelta(days=5)


def test_an_iso_string_time_is_accepted():
    reported = at_hours_ago(1)
    result_recorded(TrustFactory(), PatientFactory(), reported_at=reported.isoformat())
    assert Obligation.objects.get().event_at == reported


def test_the_obligation_rolls_back_with_the_results_transaction():
    with pytest.raises(RuntimeError), transaction.atomic():
        result_recorded(TrustFactory(), PatientFactory())
        raise RuntimeError("the result was not saved")
    assert not Obligation.objects.exists()
