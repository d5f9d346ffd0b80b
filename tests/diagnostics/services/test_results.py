"""Result services: recording, responsibility, transfer, acknowledgement (docs/product.md §3)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from audit.services import COMMAND_CONTEXT
from core import events
from core.errors import ApplicationError, ConflictError
from diagnostics.models import BookingStatus
from diagnostics.services import (
    RESULT_RECORDED,
    result_acknowledge,
    result_record,
    result_transfer_accept,
    result_transfer_offer,
)
from tests.diagnostics.factories import (
    BookingFactory,
    PastSlotFactory,
    ResultFactory,
)
from tests.factories import ConsultantFactory, DiagnosticsStaffFactory, GPFactory
from tests.triage.factories import ReferralFactory

pytestmark = pytest.mark.django_db


def record(booking, **kwargs):
    staff = kwargs.pop("actor", None) or DiagnosticsStaffFactory(organisation=booking.slot.hub)
    return result_record(
        actor=staff,
        context=COMMAND_CONTEXT,
        booking=booking,
        abnormal=kwargs.pop("abnormal", True),
        summary=kwargs.pop("summary", "Haemoglobin low."),
        **kwargs,
    )


@pytest.fixture
def started():
    return BookingFactory(slot=PastSlotFactory(capacity=3))


def test_hub_records_a_result_and_the_requester_is_responsible(started):
    result = record(started, value="92", unit="g/L")
    assert result.responsible_id == started.requester_id
    assert (result.abnormal, result.value, result.unit) == (True, "92", "g/L")


def test_recording_a_result_marks_the_test_attended(started):
    record(started)
    started.refresh_from_db()
    assert started.status == BookingStatus.ATTENDED


def test_result_before_the_slot_starts_is_refused():
    booking = BookingFactory()
    with pytest.raises(ApplicationError) as error:
        record(booking)
    assert "booking" in error.value.field_errors


def test_result_reported_in_the_future_is_refused(started):
    with pytest.raises(ApplicationError) as error:
        record(started, reported_at=timezone.now() + dt.timedelta(minutes=5))
    assert error.value.field_errors["reported_at"] == ["A result cannot be reported in the future."]


def test_a_second_result_for_the_same_test_is_a_conflict(started):
    record(started)
    with pytest.raises(ConflictError):
        record(started)


def test_result_of_a_missed_test_is_a_conflict():
    booking = BookingFactory(slot=PastSlotFactory(capacity=3), status=BookingStatus.DID_NOT_ATTEND)
    with pytest.raises(ConflictError):
        record(booking)


def test_staff_of_another_hub_cannot_record_the_result(started):
    with pytest.raises(PermissionDenied):
        record(started, actor=DiagnosticsStaffFactory())


def test_recording_publishes_the_result_recorded_event(started):
    seen = []

    def listener(**payload):
        seen.append(payload)

    events.subscribe(RESULT_RECORDED, listener)
    try:
        result = record(started)
    finally:
        events._subscribers[RESULT_RECORDED].remove(listener)
    assert seen == [
        {
            "result_uuid": result.uuid,
            "patient_id": started.patient_id,
            "requester_organisation_id": started.requester_organisation_id,
            "hub_id": started.slot.hub_id,
            "reported_at": result.reported_at,
            "link": f"/diagnostics/results/{result.uuid}/",
        }
    ]


def test_responsible_clinician_acknowledges_with_the_action():
    result = ResultFactory()
    result = result_acknowledge(
        actor=result.responsible,
        context=COMMAND_CONTEXT,
        result=result,
        action="Repeat in 3 months.",
    )
    assert result.acknowledged_by == result.responsible
    assert result.acknowledged_at is not None
    assert result.action == "Repeat in 3 months."


def test_only_the_responsible_clinician_acknowledges():
    result = ResultFactory()
    colleague = GPFactory(organisation=result.booking.patient.registered_practice)
    with pytest.raises(PermissionDenied):
        result_acknowledge(actor=colleague, context=COMMAND_CONTEXT, result=result, action="Seen.")


def test_acknowledging_twice_is_a_conflict():
    result = ResultFactory()
    result_acknowledge(actor=result.responsible, context=COMMAND_CONTEXT, result=result, action="x")
    with pytest.raises(ConflictError):
        result_acknowledge(
            actor=result.responsible, context=COMMAND_CONTEXT, result=result, action="y"
        )


def test_acknowledging_without_an_action_is_refused():
    result = ResultFactory()
    with pytest.raises(ApplicationError) as error:
        result_acknowledge(
            actor=result.responsible, context=COMMAND_CONTEXT, result=result, action=""
        )
    assert "action" in error.value.field_errors


def _consultant_with_referral(result):
    referral = ReferralFactory(patient=result.booking.patient)
    return ConsultantFactory(organisation=referral.provider)


def test_transfer_is_effective_only_when_accepted():
    result = ResultFactory()
    requester = result.responsible
    consultant = _consultant_with_referral(result)
    result = result_transfer_offer(
        actor=requester, context=COMMAND_CONTEXT, result=result, to=consultant
    )
    assert (result.responsible, result.transfer_to) == (requester, consultant)
    result = result_transfer_accept(actor=consultant, context=COMMAND_CONTEXT, result=result)
    assert (result.responsible, result.transfer_to) == (consultant, None)


def test_former_owner_cannot_acknowledge_after_the_transfer():
    result = ResultFactory()
    requester = result.responsible
    consultant = _consultant_with_referral(result)
    result_transfer_offer(actor=requester, context=COMMAND_CONTEXT, result=result, to=consultant)
    result_transfer_accept(actor=consultant, context=COMMAND_CONTEXT, result=result)
    result.refresh_from_db()
    with pytest.raises(PermissionDenied):
        result_acknowledge(actor=requester, context=COMMAND_CONTEXT, result=result, action="x")


def test_transfer_to_a_clinician_without_a_relationship_is_refused():
    result = ResultFactory()
    with pytest.raises(ApplicationError) as error:
        result_transfer_offer(
            actor=result.responsible, context=COMMAND_CONTEXT, result=result, to=ConsultantFactory()
        )
    assert error.value.field_errors["to"] == [
        "This clinician has no relationship with the patient."
    ]


def test_transfer_to_hub_staff_is_refused():
    result = ResultFactory()
    staff = DiagnosticsStaffFactory(organisation=result.booking.slot.hub)
    with pytest.raises(ApplicationError) as error:
        result_transfer_offer(
            actor=result.responsible, context=COMMAND_CONTEXT, result=result, to=staff
        )
    assert "to" in error.value.field_errors


def test_only_the_clinician_offered_may_accept():
    result = ResultFactory()
    consultant = _consultant_with_referral(result)
    result_transfer_offer(
        actor=result.responsible, context=COMMAND_CONTEXT, result=result, to=consultant
    )
    result.refresh_from_db()
    with pytest.raises(PermissionDenied):
        result_transfer_accept(
            actor=_consultant_with_referral(result), context=COMMAND_CONTEXT, result=result
        )


def test_only_the_responsible_clinician_offers_a_transfer():
    result = ResultFactory()
    consultant = _consultant_with_referral(result)
    with pytest.raises(PermissionDenied):
        result_transfer_offer(
            actor=consultant, context=COMMAND_CONTEXT, result=result, to=consultant
        )


def test_acknowledging_withdraws_a_pending_offer():
    result = ResultFactory()
    consultant = _consultant_with_referral(result)
    result_transfer_offer(
        actor=result.responsible, context=COMMAND_CONTEXT, result=result, to=consultant
    )
    result = result_acknowledge(
        actor=result.responsible, context=COMMAND_CONTEXT, result=result, action="Done."
    )
    assert result.transfer_to is None
