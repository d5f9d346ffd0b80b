"""Status transitions and the RTT clock rules (docs/product.md §2)."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from audit.services import COMMAND_CONTEXT
from core.errors import ApplicationError
from tests.factories import ConsultantFactory, GPFactory, PatientFactory, TrustFactory
from tests.triage.factories import ReferralFactory, treatment_function
from triage.models import Referral, ReferralEvent
from triage.services.referrals import (
    referral_book,
    referral_cancel,
    referral_create,
    referral_record_dna,
    referral_stop_clock,
)

pytestmark = pytest.mark.django_db
CTX = COMMAND_CONTEXT


def accepted_referral(**kwargs):
    referral = ReferralFactory(status="accepted", category="P3", **kwargs)
    return referral, ConsultantFactory(organisation=referral.provider)


def clock_events(referral):
    return list(
        ReferralEvent.objects.filter(referral=referral, kind="clock").values_list(
            "clock_start_before", "clock_start_after"
        )
    )


def create(**overrides):
    """referral_create for a new patient's routine referral today, with ``overrides``."""
    patient = overrides.pop("patient", None) or PatientFactory()
    fields = {
        "actor": None,
        "context": CTX,
        "patient": patient,
        "referring_practice": patient.registered_practice,
        "provider": TrustFactory(),
        "treatment_function": treatment_function("101"),
        "priority": "routine",
        "clock_start": timezone.localdate(),
        "ubrn": "123456789012",
    }
    fields.update(overrides)
    return referral_create(**fields)


def test_create_computes_the_provisional_target():
    referral = create(priority="two_week_wait")
    assert (referral.effective_category, referral.target_date) == (
        "2WW",
        timezone.localdate() + timedelta(days=14),
    )


def test_create_refuses_a_clock_start_in_the_future_and_saves_nothing():
    with pytest.raises(ApplicationError) as caught:
        create(clock_start=timezone.localdate() + timedelta(days=1))
    assert "clock_start" in caught.value.field_errors
    assert not Referral.objects.exists()


def test_create_refuses_a_referral_to_a_gp_practice():
    patient = PatientFactory()
    with pytest.raises(ApplicationError) as caught:
        create(patient=patient, provider=patient.registered_practice)
    assert "provider" in caught.value.field_errors


def test_create_refuses_a_duplicate_ubrn():
    existing = ReferralFactory()
    with pytest.raises(ApplicationError) as caught:
        create(patient=existing.patient, provider=existing.provider, ubrn=existing.ubrn)
    assert "already exists" in caught.value.field_errors["ubrn"][0]


def test_an_illegal_transition_is_a_clear_error_and_changes_nothing():
    referral = ReferralFactory(status="awaiting_review")
    consultant = ConsultantFactory(organisation=referral.provider)
    with pytest.raises(ApplicationError, match="cannot become booked"):
        referral_book(
            referral=referral, actor=consultant, context=CTX, appointment_on=timezone.localdate()
        )
    referral.refresh_from_db()
    assert (referral.status, referral.version) == ("awaiting_review", 1)


def test_booking_records_the_appointment():
    referral, consultant = accepted_referral()
    day = timezone.localdate() + timedelta(days=10)
    referral = referral_book(referral=referral, actor=consultant, context=CTX, appointment_on=day)
    assert (referral.status, referral.appointment_on, referral.appointments_booked) == (
        "booked",
        day,
        1,
    )


def test_booking_in_the_past_names_the_field():
    referral, consultant = accepted_referral()
    with pytest.raises(ApplicationError) as caught:
        referral_book(
            referral=referral,
            actor=consultant,
            context=CTX,
            appointment_on=timezone.localdate() - timedelta(days=1),
        )
    assert "appointment_on" in caught.value.field_errors


def test_dna_returns_the_referral_to_accepted_for_rebooking_not_to_the_gp():
    referral, consultant = accepted_referral()
    referral = referral_book(
        referral=referral, actor=consultant, context=CTX, appointment_on=timezone.localdate()
    )
    referral = referral_record_dna(referral=referral, actor=consultant, context=CTX)
    assert (referral.status, referral.awaiting_rebook, referral.dna_count) == ("accepted", True, 1)


def test_first_appointment_dna_restarts_the_clock_at_the_rebooking_date():
    with time_machine.travel("2026-03-02 09:00 +0000", tick=False):
        referral, consultant = accepted_referral(
            clock_start=timezone.localdate() - timedelta(days=100)
        )
        original = referral.clock_start
        referral = referral_book(
            referral=referral, actor=consultant, context=CTX, appointment_on=timezone.localdate()
        )
        referral = referral_record_dna(referral=referral, actor=consultant, context=CTX)
        assert referral.clock_start == original  # nullified, not yet restarted
    with time_machine.travel("2026-03-09 09:00 +0000", tick=False):
        referral = referral_book(
            referral=referral,
            actor=consultant,
            context=CTX,
            appointment_on=timezone.localdate() + timedelta(days=7),
        )
    assert str(referral.clock_start) == "2026-03-09"
    assert clock_events(referral)[-1] == (original, referral.clock_start)


def test_first_appointment_dna_moves_the_target_with_the_new_clock():
    referral, consultant = accepted_referral(clock_start=timezone.localdate() - timedelta(days=200))
    referral = referral_book(
        referral=referral, actor=consultant, context=CTX, appointment_on=timezone.localdate()
    )
    referral = referral_record_dna(referral=referral, actor=consultant, context=CTX)
    referral = referral_book(
        referral=referral, actor=consultant, context=CTX, appointment_on=timezone.localdate()
    )
    assert referral.target_date == timezone.localdate() + timedelta(days=91)


def test_a_later_dna_keeps_the_clock_running():
    referral, consultant = accepted_referral()
    original = referral.clock_start
    for _ in range(2):  # first appointment attended and a follow-up booked
        referral = referral_book(
            referral=referral, actor=consultant, context=CTX, appointment_on=timezone.localdate()
        )
        if referral.appointments_booked == 1:
            Referral.objects.filter(pk=referral.pk).update(status="accepted")
            referral.refresh_from_db()
    referral = referral_record_dna(referral=referral, actor=consultant, context=CTX)
    referral = referral_book(
        referral=referral, actor=consultant, context=CTX, appointment_on=timezone.localdate()
    )
    assert referral.clock_start == original
    assert not referral.clock_restart_pending


def test_every_clock_change_is_kept_in_the_history():
    referral, consultant = accepted_referral()
    referral = referral_book(
        referral=referral, actor=consultant, context=CTX, appointment_on=timezone.localdate()
    )
    referral = referral_record_dna(referral=referral, actor=consultant, context=CTX)
    referral = referral_book(
        referral=referral, actor=consultant, context=CTX, appointment_on=timezone.localdate()
    )
    referral_stop_clock(referral=referral, actor=consultant, context=CTX, outcome="treated")
    notes = list(
        ReferralEvent.objects.filter(referral=referral, kind="clock").values_list("note", flat=True)
    )
    assert [n.split(":")[0].split(" on ")[0] for n in notes] == [
        "RTT clock nullified",
        "RTT clock restarted at rebooking after a first-appointment DNA",
        "RTT clock stopped",
    ]


def test_treatment_stops_the_clock_today():
    referral, consultant = accepted_referral()
    referral = referral_book(
        referral=referral, actor=consultant, context=CTX, appointment_on=timezone.localdate()
    )
    referral = referral_stop_clock(
        referral=referral, actor=consultant, context=CTX, outcome="treated"
    )
    assert (referral.status, referral.clock_stopped_on) == ("treated", timezone.localdate())


def test_cancel_needs_a_reason():
    referral, consultant = accepted_referral()
    with pytest.raises(ApplicationError) as caught:
        referral_cancel(referral=referral, actor=consultant, context=CTX, reason=" ")
    assert "reason" in caught.value.field_errors


def test_every_status_change_bumps_the_version():
    referral, consultant = accepted_referral()
    referral = referral_book(
        referral=referral, actor=consultant, context=CTX, appointment_on=timezone.localdate()
    )
    assert referral.version == 2


def test_only_the_providers_clinicians_manage_the_pathway():
    referral, _ = accepted_referral()
    outsider = ConsultantFactory()
    with pytest.raises(ApplicationError, match="provider"):
        referral_book(
            referral=referral, actor=outsider, context=CTX, appointment_on=timezone.localdate()
        )


def test_the_referring_gp_may_cancel_their_referral():
    referral = ReferralFactory()
    gp = GPFactory(organisation=referral.referring_practice)
    referral = referral_cancel(
        referral=referral, actor=gp, context=CTX, reason="Patient moved away"
    )
    assert referral.status == "cancelled"
