"""Shared care agreements (docs/product.md §4): proposed by the consultant, accepted or declined
by that GP, active from the first prescription under it, ended by either party. Nothing is
prescribed under an agreement the GP has not accepted."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from alerts.models import Alert
from core.errors import ApplicationError, ConflictError
from diagnostics.selectors import test_type_get as diagnostics_test_type
from directory.selectors import patients_visible_to
from prescribing import selectors
from prescribing.models import AgreementStatus, Prescription
from prescribing.services.prescriptions import prescription_issue
from prescribing.services.shared_care import (
    agreement_accept,
    agreement_decline,
    agreement_end,
    agreement_propose,
)
from tests.diagnostics.factories import AttendedBookingFactory, BookingFactory
from tests.factories import ConsultantFactory, GPFactory
from tests.prescribing.helpers import CONTEXT, item, setting

pytestmark = pytest.mark.django_db

FBC_CODE = "26604007"
FBC = {"test_type": FBC_CODE, "interval_days": 90}


def propose(s, **kwargs):
    return agreement_propose(
        actor=kwargs.pop("actor", s.consultant),
        context=CONTEXT,
        patient=s.patient,
        gp=kwargs.pop("gp", s.gp),
        medicine=kwargs.pop("medicine", "Methotrexate 2.5mg tablets"),
        monitoring=kwargs.pop("monitoring", [FBC]),
        **kwargs,
    )


def prescribe_under(s, agreement, *, actor=None):
    return prescription_issue(
        actor=actor or s.consultant,
        context=CONTEXT,
        patient=s.patient,
        pharmacy=s.pharmacy,
        budget=s.budget,
        items=[item(medicine=agreement.medicine)],
        shared_care=agreement,
    )


def test_an_agreement_cannot_be_prescribed_under_until_the_gp_accepts_it():
    s = setting()
    agreement = propose(s)
    with pytest.raises(ConflictError) as conflict:
        prescribe_under(s, agreement)
    assert "not accepted" in conflict.value.message
    assert not Prescription.objects.exists()
    agreement_accept(agreement=agreement, actor=s.gp, context=CONTEXT)
    assert prescribe_under(s, agreement).shared_care == agreement


def test_a_decline_records_the_reason_and_prescribing_stays_with_the_specialist():
    s = setting()
    agreement = propose(s)
    declined = agreement_decline(
        agreement=agreement, actor=s.gp, context=CONTEXT, reason="We cannot monitor weekly bloods."
    )
    assert (declined.status, declined.decline_reason) == (
        AgreementStatus.DECLINED,
        "We cannot monitor weekly bloods.",
    )
    with pytest.raises(ConflictError) as conflict:
        prescribe_under(s, agreement)
    assert "specialist" in conflict.value.message
    # The consultant goes on prescribing, outside any agreement.
    specialist = prescription_issue(
        actor=s.consultant,
        context=CONTEXT,
        patient=s.patient,
        pharmacy=s.pharmacy,
        budget=s.budget,
        items=[item(medicine=agreement.medicine)],
    )
    assert specialist.shared_care is None


def test_a_decline_needs_a_reason():
    s = setting()
    agreement = propose(s)
    with pytest.raises(ApplicationError) as refused:
        agreement_decline(agreement=agreement, actor=s.gp, context=CONTEXT, reason="  ")
    assert "reason" in refused.value.field_errors


def test_only_the_gp_the_agreement_names_may_accept_it():
    s = setting()
    agreement = propose(s)
    colleague = GPFactory(organisation=s.patient.registered_practice)
    for actor in (s.consultant, colleague):
        with pytest.raises(ApplicationError):
            agreement_accept(agreement=agreement, actor=actor, context=CONTEXT)


def test_the_first_prescription_under_an_accepted_agreement_makes_it_active():
    s = setting()
    agreement = agreement_accept(agreement=propose(s), actor=s.gp, context=CONTEXT)
    assert agreement.status == AgreementStatus.ACCEPTED
    prescribe_under(s, agreement)
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.ACTIVE
    assert agreement.activated_at is not None


def test_the_gp_prescribes_under_the_agreement_once_accepted():
    s = setting()
    agreement = agreement_accept(agreement=propose(s), actor=s.gp, context=CONTEXT)
    assert prescribe_under(s, agreement, actor=s.gp).prescriber == s.gp


def test_accepting_twice_is_a_conflict():
    s = setting()
    agreement = propose(s)
    agreement_accept(agreement=agreement, actor=s.gp, context=CONTEXT)
    with pytest.raises(ConflictError):
        agreement_accept(agreement=agreement, actor=s.gp, context=CONTEXT)


def test_an_ended_agreement_is_not_prescribed_under():
    s = setting()
    agreement = agreement_accept(agreement=propose(s), actor=s.gp, context=CONTEXT)
    ended = agreement_end(
        agreement=agreement, actor=s.consultant, context=CONTEXT, reason="Stopped: remission."
    )
    assert (ended.status, ended.ended_by) == (AgreementStatus.ENDED, s.consultant)
    with pytest.raises(ConflictError):
        prescribe_under(s, agreement)


def test_either_party_may_end_an_agreement_and_nobody_else():
    s = setting()
    agreement = agreement_accept(agreement=propose(s), actor=s.gp, context=CONTEXT)
    with pytest.raises(ApplicationError):
        agreement_end(
            agreement=agreement,
            actor=GPFactory(organisation=s.patient.registered_practice),
            context=CONTEXT,
            reason="Not mine.",
        )
    assert agreement_end(agreement=agreement, actor=s.gp, context=CONTEXT, reason="Moved away.")


def test_a_proposal_cannot_be_ended_before_the_gp_answers():
    s = setting()
    with pytest.raises(ConflictError):
        agreement_end(agreement=propose(s), actor=s.consultant, context=CONTEXT, reason="Oops.")


def test_the_gp_must_be_a_gp_of_the_patients_practice():
    s = setting()
    with pytest.raises(ApplicationError) as refused:
        propose(s, gp=GPFactory())
    assert "gp" in refused.value.field_errors


def test_only_consultants_propose_shared_care():
    s = setting()
    with pytest.raises(ApplicationError):
        propose(s, actor=s.gp)


def test_monitoring_tests_are_named_by_diagnostics_snomed_codes():
    s = setting()
    with pytest.raises(ApplicationError) as refused:
        propose(s, monitoring=[{"test_type": "123456789", "interval_days": 30}])
    assert "123456789" in refused.value.field_errors["monitoring"][0]


def test_a_monitoring_test_named_twice_is_refused():
    s = setting()
    with pytest.raises(ApplicationError) as refused:
        propose(s, monitoring=[FBC, FBC])
    assert "twice" in refused.value.field_errors["monitoring"][0]


def test_a_proposal_alerts_the_gp_without_naming_the_patient():
    s = setting()
    agreement = propose(s)
    alert = Alert.objects.get(recipient=s.gp)
    assert alert.link.endswith(f"{agreement.uuid}/")
    assert s.patient.family_name not in alert.subject
    assert alert.patient_id == s.patient.pk


def test_a_prescription_under_another_patients_agreement_is_refused_naming_shared_care():
    s, other = setting(), setting()
    agreement = agreement_accept(agreement=propose(other), actor=other.gp, context=CONTEXT)
    with pytest.raises(ApplicationError) as refused:
        prescribe_under(s, agreement)
    assert "shared_care" in refused.value.field_errors


def test_the_gp_sees_proposals_awaiting_them_on_their_worklist():
    s = setting()
    agreement = propose(s)
    assert list(selectors.agreements_awaiting_gp(s.gp)) == [agreement]
    agreement_accept(agreement=agreement, actor=s.gp, context=CONTEXT)
    assert not selectors.agreements_awaiting_gp(s.gp).exists()


def test_monitoring_is_due_from_acceptance_and_bookable_once_active():
    s = setting()
    agreement = agreement_accept(agreement=propose(s), actor=s.gp, context=CONTEXT)
    accepted_on = timezone.localdate(agreement.responded_at)
    (row,) = selectors.monitoring_rows(agreement, user=s.consultant)
    assert row.due_on == accepted_on + datetime.timedelta(days=90)
    assert row.booking_url is None  # accepted, not yet active
    prescribe_under(s, agreement)
    agreement.refresh_from_db()
    (row,) = selectors.monitoring_rows(agreement, user=s.consultant)
    assert row.booking_url == (
        f"/diagnostics/book/?nhs_number={s.patient.nhs_number}&test_type=26604007"
    )


def test_monitoring_is_due_an_interval_after_the_patients_last_booking_of_the_test():
    s = setting()
    agreement = agreement_accept(agreement=propose(s), actor=s.gp, context=CONTEXT)
    prescribe_under(s, agreement)
    later = AttendedBookingFactory(
        patient=s.patient, slot__test_type=diagnostics_test_type(FBC_CODE)
    )
    AttendedBookingFactory(
        patient=s.patient,
        slot__test_type=diagnostics_test_type(FBC_CODE),
        slot__starts_at=later.slot.starts_at - datetime.timedelta(days=20),
    )
    BookingFactory(
        patient=s.patient,
        slot__test_type=diagnostics_test_type(FBC_CODE),
        slot__starts_at=later.slot.starts_at + datetime.timedelta(days=5),
        status="cancelled",
    )
    agreement.refresh_from_db()
    (row,) = selectors.monitoring_rows(agreement, user=s.gp)
    assert row.last_booked_on == timezone.localdate(later.slot.starts_at)
    assert row.due_on == row.last_booked_on + datetime.timedelta(days=90)


def test_nothing_is_due_before_the_gp_accepts():
    s = setting()
    (row,) = selectors.monitoring_rows(propose(s), user=s.consultant)
    assert (row.due_on, row.due, row.booking_url) == (None, False, None)


def test_the_consultant_of_an_agreement_sees_the_patient():
    s = setting()
    visiting = ConsultantFactory(organisation__icb=s.icb)
    assert not patients_visible_to(visiting).filter(pk=s.patient.pk).exists()
    agreement = propose(s)
    agreement.consultant = visiting
    agreement.save(update_fields=["consultant"])
    assert patients_visible_to(visiting).filter(pk=s.patient.pk).exists()
