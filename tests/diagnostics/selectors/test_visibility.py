"""Who sees diagnostics records and, through them, the patient (docs/product.md §1, §3)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from diagnostics.selectors import (
    booking_for_action,
    bookings_visible_to,
    results_for_patient,
    results_for_referral,
    results_visible_to,
    results_worklist,
    results_worklist_count,
)
from directory.selectors import patients_visible_to
from tests.diagnostics.factories import BookingFactory, ResultFactory, SlotFactory
from tests.factories import (
    CommunityClinicianFactory,
    ConsultantFactory,
    DiagnosticsStaffFactory,
    GPFactory,
    ManagerFactory,
    PatientFactory,
)
from tests.triage.factories import ReferralFactory

pytestmark = pytest.mark.django_db


def consultant_booking():
    """A consultant of a trust the patient is referred to requests the test."""
    referral = ReferralFactory()
    consultant = ConsultantFactory(organisation=referral.provider)
    booking = BookingFactory(
        patient=referral.patient,
        requester=consultant,
        requester_organisation=consultant.organisation,
    )
    return booking, consultant


def test_the_requester_sees_the_patient_through_the_booking():
    patient = PatientFactory()
    community = CommunityClinicianFactory()
    BookingFactory(
        patient=patient, requester=community, requester_organisation=community.organisation
    )
    assert patients_visible_to(community).filter(pk=patient.pk).exists()


def test_the_requesters_colleagues_gain_nothing_from_the_booking():
    patient = PatientFactory()
    community = CommunityClinicianFactory()
    BookingFactory(
        patient=patient, requester=community, requester_organisation=community.organisation
    )
    colleague = CommunityClinicianFactory(organisation=community.organisation)
    assert not patients_visible_to(colleague).filter(pk=patient.pk).exists()


def test_the_hubs_staff_see_the_patient_and_another_hubs_do_not():
    booking = BookingFactory()
    assert (
        patients_visible_to(DiagnosticsStaffFactory(organisation=booking.slot.hub))
        .filter(pk=booking.patient_id)
        .exists()
    )
    assert not patients_visible_to(DiagnosticsStaffFactory()).filter(pk=booking.patient_id).exists()


def test_moving_to_another_hub_moves_the_hubs_sight():
    booking = BookingFactory()
    old_hub_staff = DiagnosticsStaffFactory(organisation=booking.slot.hub)
    booking.slot = SlotFactory()
    booking.save()
    assert not patients_visible_to(old_hub_staff).filter(pk=booking.patient_id).exists()


def test_managers_see_no_booking_or_result():
    result = ResultFactory()
    manager = ManagerFactory(organisation=result.booking.requester_organisation.icb)
    assert not bookings_visible_to(manager).exists()
    assert not results_visible_to(manager).exists()


def test_result_requested_by_a_consultant_is_visible_to_the_patients_gp():
    booking, _ = consultant_booking()
    result = ResultFactory(booking=booking, responsible=booking.requester)
    gp = GPFactory(organisation=booking.patient.registered_practice)
    assert list(results_visible_to(gp)) == [result]


def test_booking_for_action_is_404_for_a_stranger_and_403_for_a_reader_who_may_not_act():
    booking = BookingFactory()
    with pytest.raises(Http404):
        booking_for_action(GPFactory(), booking.uuid, "cancel")
    reader = GPFactory(organisation=booking.patient.registered_practice)
    with pytest.raises(PermissionDenied):
        booking_for_action(reader, booking.uuid, "cancel")


def test_booking_for_action_treats_a_malformed_id_as_not_found():
    with pytest.raises(Http404):
        booking_for_action(GPFactory(), "not-a-uuid", "view")


def test_worklist_holds_unacknowledged_results_and_offers_to_the_user():
    mine = ResultFactory()
    gp = mine.responsible
    ResultFactory(
        booking__patient=mine.booking.patient,
        responsible=gp,
        acknowledged_by=gp,
        acknowledged_at=mine.reported_at,
    )
    booking, consultant = consultant_booking()
    offered = ResultFactory(booking=booking, responsible=consultant)
    offered.transfer_to = GPFactory(organisation=booking.patient.registered_practice)
    offered.transfer_offered_at = offered.reported_at
    offered.save()
    assert list(results_worklist(gp)) == [mine]
    assert list(results_worklist(offered.transfer_to)) == [offered]
    assert results_worklist_count(consultant) == 1


def test_worklist_puts_abnormal_results_first():
    normal = ResultFactory(abnormal=False)
    gp = normal.responsible
    abnormal = ResultFactory(
        booking__patient=normal.booking.patient,
        booking__requester=gp,
        responsible=gp,
        abnormal=True,
    )
    assert list(results_worklist(gp)) == [abnormal, normal]


def test_results_for_patient_and_referral():
    booking, consultant = consultant_booking()
    result = ResultFactory(booking=booking, responsible=consultant)
    booking.referral = ReferralFactory(patient=booking.patient, provider=consultant.organisation)
    booking.save()
    assert list(results_for_patient(consultant, booking.patient)) == [result]
    assert list(results_for_referral(consultant, booking.referral_id)) == [result]
    assert not results_for_patient(GPFactory(), booking.patient).exists()


def test_the_clinician_who_accepted_responsibility_sees_the_patient_and_the_result():
    result = ResultFactory()
    # A clinician of another trust, with no other relationship with the patient.
    owner = ConsultantFactory()
    result.responsible = owner
    result.save(update_fields=["responsible"])
    assert patients_visible_to(owner).filter(pk=result.booking.patient_id).exists()
    assert list(results_worklist(owner)) == [result]
    assert results_visible_to(owner).filter(pk=result.pk).exists()


def test_an_offer_to_a_clinician_who_can_no_longer_see_the_patient_leaves_their_worklist():
    result = ResultFactory()
    result.transfer_to = ConsultantFactory()  # no relationship with the patient
    result.transfer_offered_at = result.reported_at
    result.save(update_fields=["transfer_to", "transfer_offered_at"])
    assert not results_worklist(result.transfer_to).exists()
