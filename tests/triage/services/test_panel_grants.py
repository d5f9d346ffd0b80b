"""Bounded grants of access: a panel's seats, its bulk assignment, and the relationship a new
referral or Advice & Guidance request must start from (docs/product.md §1, §2)."""

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import COMMAND_CONTEXT
from core.errors import ApplicationError, ConflictError
from directory.selectors import patients_visible_to
from tests.factories import (
    CommunityClinicianFactory,
    CommunityProviderFactory,
    ConsultantFactory,
    GPFactory,
    PatientFactory,
    PracticeFactory,
    TrustFactory,
)
from tests.triage.factories import (
    PanelMembershipFactory,
    ReferralFactory,
    ReviewPanelFactory,
    treatment_function,
)
from triage import permissions
from triage.models import AdviceRequest, PanelMembership, Referral, ReviewPanel
from triage.selectors import (
    panels_visible_to,
    referrals_visible_to,
    worklist_counts,
    worklist_for_review,
)
from triage.services.advice import advice_guidance_request
from triage.services.panels import (
    panel_assign_referrals,
    panel_create,
    panel_membership_accept,
    panel_membership_decline,
)
from triage.services.referrals import referral_create

pytestmark = pytest.mark.django_db
CTX = COMMAND_CONTEXT


def create_panel(trust, members, lead=None):
    return panel_create(
        actor=lead or ConsultantFactory(organisation=trust),
        name="Knee pain review panel",
        provider=trust,
        treatment_function=treatment_function("110"),
        members=members,
    )


def seat(panel, user) -> PanelMembership:
    return PanelMembership.objects.get(panel=panel, user=user)


@pytest.fixture
def trust():
    return TrustFactory()


@pytest.fixture
def invited(trust):
    """A panel of ``trust`` with a GP from another ICB invited, and one of its referrals."""
    gp = GPFactory()
    panel = ReviewPanelFactory(provider=trust)
    membership = PanelMembershipFactory(panel=panel, user=gp)
    referral = ReferralFactory(provider=trust, panel=panel)
    return membership, referral


# A panel needs a clinician of the provider that runs it


def test_panel_without_a_clinician_of_its_provider_names_the_members(trust):
    other_trust = ConsultantFactory()
    with pytest.raises(ApplicationError) as caught:
        create_panel(trust, [GPFactory(), CommunityClinicianFactory(), other_trust])
    assert any(trust.ods_code in message for message in caught.value.field_errors["members"])
    assert not ReviewPanel.objects.exists()


# Members from outside the provider's ICB must accept


def test_member_of_an_organisation_in_the_providers_icb_takes_the_seat_at_once(trust):
    local_gp = GPFactory(organisation=PracticeFactory(icb=trust.icb))
    lead = ConsultantFactory(organisation=trust)
    panel = create_panel(trust, [local_gp, CommunityClinicianFactory(), lead], lead=lead)
    assert (seat(panel, local_gp).status, seat(panel, lead).status) == ("accepted", "accepted")


def test_member_from_outside_the_providers_icb_is_invited_not_seated(trust):
    distant = CommunityClinicianFactory()
    panel = create_panel(trust, [GPFactory(), distant, ConsultantFactory(organisation=trust)])
    assert (seat(panel, distant).status, seat(panel, distant).responded_at) == ("pending", None)


def test_invited_member_sees_no_referral_or_patient_of_the_panel(invited):
    membership, referral = invited
    gp = membership.user
    assert not referrals_visible_to(gp).filter(pk=referral.pk).exists()
    assert not patients_visible_to(gp).filter(pk=referral.patient_id).exists()


def test_invited_member_has_nothing_on_their_worklists(invited):
    membership, _ = invited
    assert not worklist_for_review(membership.user).exists()
    assert worklist_counts(membership.user)["for-review"] == 0


def test_invited_member_may_not_review_or_see_the_panel(invited):
    membership, referral = invited
    assert not permissions.is_panel_member(membership.user, membership.panel_id)
    assert not permissions.can_review(membership.user, referral)
    assert not panels_visible_to(membership.user).exists()


def test_accepting_the_seat_shows_the_member_the_panels_referrals(invited):
    membership, referral = invited
    panel_membership_accept(membership=membership, actor=membership.user)
    assert seat(membership.panel, membership.user).status == "accepted"
    assert list(referrals_visible_to(membership.user)) == [referral]
    assert permissions.can_review(membership.user, referral)


def test_declining_the_seat_leaves_the_member_seeing_nothing(invited):
    membership, _ = invited
    panel_membership_decline(membership=membership, actor=membership.user)
    assert seat(membership.panel, membership.user).status == "declined"
    assert not referrals_visible_to(membership.user).exists()


def test_accepting_a_declined_seat_is_a_conflict(invited):
    membership, _ = invited
    panel_membership_decline(membership=membership, actor=membership.user)
    with pytest.raises(ConflictError):
        panel_membership_accept(membership=membership, actor=membership.user)
    assert seat(membership.panel, membership.user).status == "declined"


def test_only_the_invited_clinician_answers_the_invitation(invited):
    membership, _ = invited
    with pytest.raises(ApplicationError):
        panel_membership_accept(membership=membership, actor=GPFactory())
    assert seat(membership.panel, membership.user).status == "pending"


# Bulk assignment is capped and audited


def test_bulk_assignment_over_the_cap_is_refused_naming_the_field_and_changes_nothing(settings):
    settings.TRIAGE_PANEL_ASSIGN_MAX = 2
    panel = ReviewPanelFactory()
    ReferralFactory.create_batch(3, provider=panel.provider)
    with pytest.raises(ApplicationError) as caught:
        panel_assign_referrals(
            panel=panel,
            actor=ConsultantFactory(organisation=panel.provider),
            context=CTX,
            referrals=Referral.objects.all(),
            selected_by="filters",
        )
    assert "at most 2" in caught.value.field_errors["filters"][0]
    assert not Referral.objects.filter(panel=panel).exists()
    assert not AuditEvent.objects.exists()


def test_bulk_assignment_up_to_the_cap_moves_every_referral(settings):
    settings.TRIAGE_PANEL_ASSIGN_MAX = 2
    panel = ReviewPanelFactory()
    ReferralFactory.create_batch(2, provider=panel.provider)
    moved = panel_assign_referrals(
        panel=panel,
        actor=ConsultantFactory(organisation=panel.provider),
        context=CTX,
        referrals=Referral.objects.all(),
    )
    assert moved == 2


def test_bulk_assignment_audit_names_the_panel_and_the_count():
    panel = ReviewPanelFactory()
    ReferralFactory.create_batch(2, provider=panel.provider)
    panel_assign_referrals(
        panel=panel,
        actor=ConsultantFactory(organisation=panel.provider),
        context=CTX,
        referrals=Referral.objects.all(),
    )
    details = set(AuditEvent.objects.values_list("detail", flat=True))
    assert AuditEvent.objects.count() == 2
    assert details == {
        f"assigned to panel {panel.name} ({panel.uuid}): 2 referrals moved in one assignment"
    }


# A new referral or A&G request needs the registered-practice relationship


@pytest.fixture
def panel_gp():
    """A GP sitting on a panel, and a patient of another practice they see only through it."""
    panel = ReviewPanelFactory()
    gp = panel.members.get(role="gp")
    referral = ReferralFactory(provider=panel.provider, panel=panel)
    assert patients_visible_to(gp).filter(pk=referral.patient_id).exists()
    return gp, referral.patient


def refer(gp, patient, provider):
    return referral_create(
        actor=gp,
        context=CTX,
        patient=patient,
        referring_practice=gp.organisation,
        referring_clinician=gp,
        provider=provider,
        treatment_function=treatment_function("110"),
        priority="routine",
        clock_start=timezone.localdate(),
        ubrn="987654321098",
    )


def test_gp_cannot_refer_a_patient_seen_only_through_a_panel(panel_gp):
    gp, patient = panel_gp
    new_provider = CommunityProviderFactory()
    with pytest.raises(ApplicationError) as caught:
        refer(gp, patient, new_provider)
    assert "nhs_number" in caught.value.field_errors
    assert not Referral.objects.filter(provider=new_provider).exists()


def test_gp_refers_a_patient_registered_at_their_practice():
    gp = GPFactory()
    patient = PatientFactory(registered_practice=gp.organisation)
    assert refer(gp, patient, TrustFactory()).patient == patient


def test_referral_cannot_name_a_practice_other_than_the_referrers():
    gp = GPFactory()
    patient = PatientFactory()
    with pytest.raises(ApplicationError) as caught:
        referral_create(
            actor=gp,
            context=CTX,
            patient=patient,
            referring_practice=patient.registered_practice,
            provider=TrustFactory(),
            treatment_function=treatment_function("110"),
            priority="routine",
            clock_start=timezone.localdate(),
            ubrn="987654321098",
        )
    assert "referring_practice" in caught.value.field_errors


def test_gp_cannot_ask_advice_and_guidance_about_a_patient_seen_only_through_a_panel(panel_gp):
    gp, patient = panel_gp
    with pytest.raises(ApplicationError) as caught:
        advice_guidance_request(
            actor=gp,
            context=CTX,
            patient=patient,
            provider=TrustFactory(),
            treatment_function=treatment_function("110"),
            question="Would you see this patient?",
        )
    assert "No patient registered at your practice" in caught.value.field_errors["nhs_number"][0]
    assert not AdviceRequest.objects.exists()


def test_onward_referral_by_the_provider_continues_the_same_patient():
    original = ReferralFactory()
    consultant = ConsultantFactory(organisation=original.provider)
    onward = referral_create(
        actor=consultant,
        context=CTX,
        patient=original.patient,
        referring_practice=original.referring_practice,
        provider=TrustFactory(),
        treatment_function=treatment_function("120"),
        priority="routine",
        clock_start=original.clock_start,
        external_id=f"onward:{original.uuid}",
        redirected_from=original,
    )
    assert onward.redirected_from == original


def test_onward_referral_of_another_patient_is_refused():
    original = ReferralFactory()
    with pytest.raises(ApplicationError) as caught:
        referral_create(
            actor=ConsultantFactory(organisation=original.provider),
            context=CTX,
            patient=PatientFactory(),
            referring_practice=original.referring_practice,
            provider=TrustFactory(),
            treatment_function=treatment_function("120"),
            priority="routine",
            clock_start=original.clock_start,
            external_id=f"onward:{original.uuid}",
            redirected_from=original,
        )
    assert "nhs_number" in caught.value.field_errors


def test_the_demo_accepts_every_seat_it_invites(invited):
    from devtools.demo import demo_panel_seats_accept

    membership, _ = invited
    assert demo_panel_seats_accept(membership.panel) == 1
    assert demo_panel_seats_accept(membership.panel) == 0
    assert seat(membership.panel, membership.user).status == "accepted"
