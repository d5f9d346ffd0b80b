"""Contracts factories: discharges, attendances, obligations, breach reports."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from contracts import rules
from contracts.models import (
    Attendance,
    BreachReport,
    Discharge,
    DischargeKind,
    Duty,
    FitNote,
    Obligation,
    ObligationStatus,
)
from tests.factories import ConsultantFactory, GPFactory, PatientFactory, TrustFactory


class DischargeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Discharge

    patient = factory.SubFactory(PatientFactory)
    provider = factory.SubFactory(TrustFactory)
    kind = DischargeKind.INPATIENT
    discharged_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=2))
    medication_days = 7
    fit_note = FitNote.NOT_NEEDED
    recorded_by = factory.LazyAttribute(lambda o: ConsultantFactory(organisation=o.provider))


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    patient = factory.SubFactory(PatientFactory)
    provider = factory.SubFactory(TrustFactory)
    attended_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    gp_action_needed = True
    fit_note = FitNote.NOT_NEEDED
    recorded_by = factory.LazyAttribute(lambda o: ConsultantFactory(organisation=o.provider))


class ObligationFactory(factory.django.DjangoModelFactory):
    """A discharge summary owed for a discharge (its due time by the rules), open; pass
    ``status``, ``fulfilled_at`` (and ``overdue_at`` for ``overdue``) for another state."""

    class Meta:
        model = Obligation

    duty = Duty.DISCHARGE_SUMMARY
    discharge = factory.SubFactory(DischargeFactory)
    patient = factory.LazyAttribute(lambda o: o.discharge.patient)
    provider = factory.LazyAttribute(lambda o: o.discharge.provider)
    event_at = factory.LazyAttribute(lambda o: o.discharge.discharged_at)
    due_at = factory.LazyAttribute(lambda o: rules.due_at(o.duty, o.event_at))
    status = ObligationStatus.OPEN


class BreachReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BreachReport

    duty = Duty.REREFERRAL_AFTER_DNA
    provider = factory.SubFactory(TrustFactory)
    patient = factory.SubFactory(PatientFactory)
    practice = factory.LazyAttribute(lambda o: o.patient.registered_practice)
    reported_by = factory.LazyAttribute(lambda o: GPFactory(organisation=o.practice))
    occurred_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=3))
    description = "The clinic letter asked us to re-refer after the patient missed the appointment."
    letter = "Dear colleagues, …"


def at_hours_ago(hours: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(hours=hours)
