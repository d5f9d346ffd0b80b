"""Discharges and attendances open the obligations they owe (docs/product.md §5)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import COMMAND_CONTEXT
from contracts.models import Duty, FitNote, Obligation, ObligationStatus
from contracts.services.events import attendance_record, discharge_record
from core.errors import ApplicationError, ConflictError
from tests.contracts.factories import at_hours_ago
from tests.factories import ConsultantFactory, GPFactory, PatientFactory
from tests.triage.factories import ReferralFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultant():
    return ConsultantFactory()


@pytest.fixture
def patient(consultant):
    patient = PatientFactory()
    ReferralFactory(patient=patient, provider=consultant.organisation)
    return patient


def discharge(consultant, patient, **overrides):
    values = {
        "kind": "inpatient",
        "discharged_at": at_hours_ago(3),
        "medication_days": 7,
        "fit_note": FitNote.NOT_NEEDED,
    }
    values.update(overrides)
    return discharge_record(actor=consultant, context=COMMAND_CONTEXT, patient=patient, **values)


def duties(record) -> dict[str, str]:
    return {o.duty: o.status for o in record.obligations.all()}


def test_a_discharge_owes_a_summary_due_24_hours_after_it(consultant, patient):
    record, created = discharge(consultant, patient, discharged_at=at_hours_ago(3))
    summary = record.obligations.get(duty=Duty.DISCHARGE_SUMMARY)
    assert created
    assert summary.due_at == record.discharged_at + timedelta(hours=24)
    assert (summary.status, summary.provider, summary.patient) == (
        ObligationStatus.OPEN,
        consultant.organisation,
        patient,
    )


def test_seven_days_of_medication_records_the_medication_duty_met_at_discharge(consultant, patient):
    record, _ = discharge(consultant, patient, medication_days=7)
    medication = record.obligations.get(duty=Duty.DISCHARGE_MEDICATION)
    assert (medication.status, medication.fulfilled_at) == (
        ObligationStatus.MET,
        record.discharged_at,
    )


def test_under_seven_days_of_medication_opens_the_duty_due_at_once(consultant, patient):
    record, _ = discharge(consultant, patient, medication_days=3)
    medication = record.obligations.get(duty=Duty.DISCHARGE_MEDICATION)
    assert medication.status == ObligationStatus.OPEN
    assert medication.due_at == record.discharged_at


def test_no_medication_prescribed_owes_no_medication_duty(consultant, patient):
    record, _ = discharge(consultant, patient, medication_days=None)
    assert duties(record) == {Duty.DISCHARGE_SUMMARY: ObligationStatus.OPEN}


@pytest.mark.parametrize(
    ("fit_note", "expected"),
    [
        (FitNote.ISSUED, ObligationStatus.MET),
        (FitNote.DUE, ObligationStatus.OPEN),
    ],
)
def test_a_fit_note_that_was_due_is_recorded(consultant, patient, fit_note, expected):
    record, _ = discharge(consultant, patient, fit_note=fit_note)
    assert duties(record)[Duty.FIT_NOTE] == expected


def test_a_fit_note_not_needed_owes_nothing(consultant, patient):
    record, _ = discharge(consultant, patient, fit_note=FitNote.NOT_NEEDED)
    assert Duty.FIT_NOTE not in duties(record)


def test_the_same_discharge_sent_again_is_found_not_recorded_twice(consultant, patient):
    when = at_hours_ago(5)
    first, _ = discharge(consultant, patient, discharged_at=when)
    again, created = discharge(consultant, patient, discharged_at=when)
    assert (again, created) == (first, False)
    assert Obligation.objects.count() == 2


def test_a_different_discharge_at_the_same_time_is_a_conflict(consultant, patient):
    when = at_hours_ago(5)
    discharge(consultant, patient, discharged_at=when, kind="inpatient")
    with pytest.raises(ConflictError):
        discharge(consultant, patient, discharged_at=when, kind="day_case")


def test_a_discharge_in_the_future_is_refused_naming_the_field(consultant, patient):
    with pytest.raises(ApplicationError) as error:
        discharge(consultant, patient, discharged_at=timezone.now() + timedelta(hours=1))
    assert error.value.field_errors["discharged_at"] == ["It is in the future."]
    assert Obligation.objects.count() == 0


def test_a_patient_the_provider_has_no_relationship_with_is_refused(consultant):
    stranger = PatientFactory()
    with pytest.raises(ApplicationError) as error:
        discharge(consultant, stranger)
    assert "nhs_number" in error.value.field_errors


def test_a_gp_cannot_record_a_discharge(patient):
    gp = GPFactory(organisation=patient.registered_practice)
    with pytest.raises(ApplicationError):
        discharge(gp, patient)


def test_recording_audits_the_discharge_and_each_obligation(consultant, patient):
    discharge(consultant, patient, medication_days=2)
    events = AuditEvent.objects.filter(patient=patient, action="create")
    assert sorted(events.values_list("object_type", flat=True)) == [
        "discharge",
        "obligation",
        "obligation",
    ]


def test_an_attendance_needing_gp_action_owes_a_clinic_letter_within_7_days(consultant, patient):
    record, _ = attendance_record(
        actor=consultant,
        context=COMMAND_CONTEXT,
        patient=patient,
        attended_at=at_hours_ago(2),
        gp_action_needed=True,
    )
    letter = record.obligations.get()
    assert letter.duty == Duty.CLINIC_LETTER
    assert letter.due_at == record.attended_at + timedelta(days=7)


def test_an_attendance_needing_no_gp_action_owes_no_letter(consultant, patient):
    record, _ = attendance_record(
        actor=consultant,
        context=COMMAND_CONTEXT,
        patient=patient,
        attended_at=at_hours_ago(2),
        gp_action_needed=False,
    )
    assert not record.obligations.exists()


def test_the_clinic_letter_deadline_is_a_setting(consultant, patient, settings):
    settings.CONTRACTS_CLINIC_LETTER_DAYS = 10
    record, _ = attendance_record(
        actor=consultant,
        context=COMMAND_CONTEXT,
        patient=patient,
        attended_at=at_hours_ago(2),
        gp_action_needed=True,
    )
    assert record.obligations.get().due_at == record.attended_at + timedelta(days=10)
