"""The acceptance journey's last step, without a browser: a GP books an ECG, the hub records an
abnormal result, the GP does not acknowledge it, and ``run_sweeps`` past the alert time raises
exactly one alert to the GP, however often it runs (docs/product.md §3 and §8)."""

from __future__ import annotations

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from alerts.models import Alert
from diagnostics.models import Booking, Result
from tests.diagnostics.factories import ECG, SlotFactory, test_type
from tests.factories import DiagnosticHubFactory, DiagnosticsStaffFactory, GPFactory, PatientFactory

pytestmark = pytest.mark.django_db

# Past the abnormal alert's 2 working days whatever the weekday, bank holidays included.
PAST_THE_ALERT_TIME = datetime.timedelta(days=8)


def test_an_unacknowledged_abnormal_result_raises_one_alert_however_often_sweeps_run(client):
    gp = GPFactory()
    patient = PatientFactory(registered_practice=gp.organisation)
    hub = DiagnosticHubFactory()
    slot = SlotFactory(hub=hub, test_type=test_type(ECG), capacity=4)

    client.force_login(gp)
    client.post(
        "/diagnostics/book/",
        {
            "nhs_number": patient.nhs_number,
            "test_type": ECG,
            "slot": str(slot.uuid),
            "reason": "Palpitations.",
        },
    )
    booking = Booking.objects.get()

    with time_machine.travel(slot.starts_at + datetime.timedelta(minutes=20), tick=False):
        client.force_login(DiagnosticsStaffFactory(organisation=hub))
        client.post(
            f"/diagnostics/bookings/{booking.uuid}/result/",
            {"result-abnormal": "true", "result-summary": "Atrial fibrillation, rate 130."},
        )
    result = Result.objects.get()
    assert result.responsible == gp

    with time_machine.travel(result.reported_at + PAST_THE_ALERT_TIME, tick=False):
        call_command("run_sweeps", stdout=io.StringIO())
        call_command("run_sweeps", stdout=io.StringIO())

    alerts = Alert.objects.filter(recipient=gp, kind="diagnostics.result_unacknowledged")
    assert [(a.patient_id, a.link) for a in alerts] == [
        (patient.pk, f"/diagnostics/results/{result.uuid}/")
    ]


def test_an_acknowledged_result_raises_no_alert(client):
    gp = GPFactory()
    patient = PatientFactory(registered_practice=gp.organisation)
    slot = SlotFactory(test_type=test_type(ECG))
    client.force_login(gp)
    client.post(
        "/diagnostics/book/",
        {
            "nhs_number": patient.nhs_number,
            "test_type": ECG,
            "slot": str(slot.uuid),
            "reason": "Palpitations.",
        },
    )
    booking = Booking.objects.get()
    with time_machine.travel(slot.starts_at + datetime.timedelta(minutes=20), tick=False):
        client.force_login(DiagnosticsStaffFactory(organisation=slot.hub))
        client.post(
            f"/diagnostics/bookings/{booking.uuid}/result/",
            {"result-abnormal": "true", "result-summary": "Atrial fibrillation."},
        )
        client.force_login(gp)
        client.post(
            f"/diagnostics/results/{Result.objects.get().uuid}/acknowledge/",
            {"acknowledge-action": "Started anticoagulation."},
        )
    with time_machine.travel(timezone.now() + PAST_THE_ALERT_TIME * 2, tick=False):
        call_command("run_sweeps", stdout=io.StringIO())
    assert not Alert.objects.filter(kind="diagnostics.result_unacknowledged").exists()
