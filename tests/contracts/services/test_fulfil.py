"""Recording the document or action fulfils an obligation, as met or met late."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from audit.services import COMMAND_CONTEXT
from contracts.models import ObligationStatus
from contracts.services.obligations import obligation_fulfil
from core.errors import ApplicationError, ConflictError
from tests.contracts.factories import DischargeFactory, ObligationFactory, at_hours_ago
from tests.factories import ConsultantFactory, GPFactory

pytestmark = pytest.mark.django_db


def fulfil(obligation, actor=None, **kwargs):
    actor = actor or ConsultantFactory(organisation=obligation.provider)
    return obligation_fulfil(obligation=obligation, actor=actor, context=COMMAND_CONTEXT, **kwargs)


def test_fulfilled_by_the_due_time_is_met():
    obligation = ObligationFactory(discharge=DischargeFactory(discharged_at=at_hours_ago(3)))
    assert fulfil(obligation).status == ObligationStatus.MET


def test_fulfilled_after_the_due_time_is_met_late():
    obligation = ObligationFactory(discharge=DischargeFactory(discharged_at=at_hours_ago(30)))
    assert fulfil(obligation).status == ObligationStatus.MET_LATE


def test_a_summary_sent_on_time_but_recorded_late_is_met():
    discharge = DischargeFactory(discharged_at=at_hours_ago(30))
    obligation = ObligationFactory(discharge=discharge)
    sent = discharge.discharged_at + timedelta(hours=20)
    assert fulfil(obligation, at=sent).status == ObligationStatus.MET


def test_exactly_at_the_due_time_is_met():
    discharge = DischargeFactory(discharged_at=at_hours_ago(30))
    obligation = ObligationFactory(discharge=discharge)
    assert fulfil(obligation, at=obligation.due_at).status == ObligationStatus.MET


def test_an_overdue_obligation_fulfilled_closes_met_late_keeping_when_it_was_marked():
    obligation = ObligationFactory(
        discharge=DischargeFactory(discharged_at=at_hours_ago(30)),
        status=ObligationStatus.OVERDUE,
        overdue_at=at_hours_ago(1),
    )
    fulfil(obligation)
    obligation.refresh_from_db()
    assert obligation.status == ObligationStatus.MET_LATE
    assert obligation.overdue_at is not None


def test_a_time_in_the_future_is_refused():
    obligation = ObligationFactory()
    with pytest.raises(ApplicationError) as error:
        fulfil(obligation, at=timezone.now() + timedelta(minutes=5))
    assert error.value.field_errors == {"at": ["It is in the future."]}


def test_a_time_before_the_event_is_refused():
    obligation = ObligationFactory()
    with pytest.raises(ApplicationError) as error:
        fulfil(obligation, at=obligation.event_at - timedelta(minutes=1))
    assert "at" in error.value.field_errors


def test_fulfilling_twice_is_a_conflict_naming_the_first():
    obligation = ObligationFactory()
    fulfil(obligation)
    with pytest.raises(ConflictError) as error:
        fulfil(obligation)
    assert error.value.current["status"] == ObligationStatus.MET


def test_only_the_providers_clinicians_fulfil():
    obligation = ObligationFactory()
    gp = GPFactory(organisation=obligation.patient.registered_practice)
    with pytest.raises(ApplicationError):
        fulfil(obligation, actor=gp)
    other_trust = ConsultantFactory()
    with pytest.raises(ApplicationError):
        fulfil(obligation, actor=other_trust)
