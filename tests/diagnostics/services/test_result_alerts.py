"""The result-alert sweep (docs/product.md §3): one alert to the responsible clinician for a
result left unacknowledged 2 working days (abnormal) or 7 days (otherwise) after it was
reported; English bank holidays are not working days; a second run raises nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from alerts.models import Alert
from core.sweeps import sweep_names
from diagnostics.models import Result
from diagnostics.services import ALERT_KIND, alert_key, result_alert_due_at, result_alerts_sweep
from tests.diagnostics.factories import ResultFactory
from tests.factories import ConsultantFactory

pytestmark = pytest.mark.django_db


def at(*args) -> dt.datetime:
    """An aware Europe/London time."""
    return timezone.make_aware(dt.datetime(*args))


def alerts() -> list[Alert]:
    return list(Alert.objects.filter(kind=ALERT_KIND))


def test_sweep_is_registered_and_scheduled(settings):
    assert "diagnostics.result_alerts" in sweep_names()
    assert "diagnostics.result_alerts" in settings.SWEEPS_SCHEDULE


def test_abnormal_result_is_not_alerted_before_two_working_days():
    ResultFactory(abnormal=True, reported_at=at(2026, 3, 6, 10, 0))  # Friday
    result_alerts_sweep(now=at(2026, 3, 10, 9, 59))  # Tuesday, a minute early
    assert alerts() == []


def test_abnormal_result_reported_friday_is_alerted_on_tuesday():
    result = ResultFactory(abnormal=True, reported_at=at(2026, 3, 6, 10, 0))
    result_alerts_sweep(now=at(2026, 3, 10, 10, 0))
    [alert] = alerts()
    assert (alert.key, alert.recipient_id) == (alert_key(result.uuid), result.responsible_id)


def test_english_bank_holidays_are_not_working_days():
    # Thursday before Good Friday (3 April 2026) and Easter Monday (6 April 2026).
    ResultFactory(abnormal=True, reported_at=at(2026, 4, 2, 15, 0))
    result_alerts_sweep(now=at(2026, 4, 7, 15, 0))
    assert alerts() == []
    result_alerts_sweep(now=at(2026, 4, 8, 15, 0))
    assert len(alerts()) == 1


def test_normal_result_is_alerted_after_seven_days_not_before():
    ResultFactory(abnormal=False, reported_at=at(2026, 3, 2, 10, 0))
    result_alerts_sweep(now=at(2026, 3, 9, 9, 59))
    assert alerts() == []
    result_alerts_sweep(now=at(2026, 3, 9, 10, 0))
    assert len(alerts()) == 1


def test_the_periods_are_settings(settings):
    settings.RESULT_ALERT_NORMAL_DAYS = 3
    ResultFactory(abnormal=False, reported_at=at(2026, 3, 2, 10, 0))
    result_alerts_sweep(now=at(2026, 3, 5, 10, 0))
    assert len(alerts()) == 1


def test_acknowledged_results_raise_nothing():
    result = ResultFactory(abnormal=True, reported_at=at(2026, 3, 2, 10, 0))
    Result.objects.filter(pk=result.pk).update(
        acknowledged_at=at(2026, 3, 3, 9, 0), acknowledged_by=result.responsible, action="Seen."
    )
    result_alerts_sweep(now=at(2026, 3, 20, 10, 0))
    assert alerts() == []


def test_a_second_run_raises_nothing_new():
    ResultFactory(abnormal=True, reported_at=at(2026, 3, 2, 10, 0))
    first = result_alerts_sweep(now=at(2026, 3, 20, 10, 0))
    second = result_alerts_sweep(now=at(2026, 3, 21, 10, 0))
    assert len(alerts()) == 1
    assert first.startswith("1 result alert")
    assert second.startswith("0 result alert")


def test_alert_goes_to_the_clinician_who_accepted_responsibility():
    result = ResultFactory(abnormal=True, reported_at=at(2026, 3, 2, 10, 0))
    consultant = ConsultantFactory()
    Result.objects.filter(pk=result.pk).update(responsible=consultant)
    result_alerts_sweep(now=at(2026, 3, 20, 10, 0))
    assert alerts()[0].recipient_id == consultant.pk


def test_alert_names_no_patient_and_links_to_the_result():
    result = ResultFactory(abnormal=True, reported_at=at(2026, 3, 2, 10, 0))
    patient = result.booking.patient
    result_alerts_sweep(now=at(2026, 3, 20, 10, 0))
    [alert] = alerts()
    assert alert.link == f"/diagnostics/results/{result.uuid}/"
    assert alert.patient_id == patient.pk
    for identifier in (patient.nhs_number, patient.family_name, patient.given_name):
        assert identifier not in alert.subject
    assert "abnormal" in alert.subject.lower()


def test_due_time_shown_for_a_result_matches_the_sweep():
    result = ResultFactory(abnormal=True, reported_at=at(2026, 4, 2, 15, 0))
    assert result_alert_due_at(result) == at(2026, 4, 8, 15, 0)
