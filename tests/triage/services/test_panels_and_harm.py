"""Review panels and clinical harm reviews."""

from datetime import timedelta

import pytest
from django.utils import timezone

from audit.services import COMMAND_CONTEXT
from core.errors import ApplicationError
from tests.factories import (
    CommunityClinicianFactory,
    ConsultantFactory,
    GPFactory,
    ManagerFactory,
    TrustFactory,
)
from tests.triage.factories import ReferralFactory, ReviewPanelFactory, treatment_function
from triage.models import HarmReview, Referral
from triage.selectors import worklist_harm_reviews_due
from triage.services.harm import harm_review_record
from triage.services.panels import panel_assign_referrals, panel_create

pytestmark = pytest.mark.django_db
CTX = COMMAND_CONTEXT


def test_panel_with_all_three_sectors_is_created_with_a_retired_gp():
    trust = TrustFactory()
    lead = ConsultantFactory(organisation=trust)
    retired = GPFactory(is_returning_clinician=True)
    panel = panel_create(
        actor=lead,
        name="T&O backlog panel",
        provider=trust,
        treatment_function=treatment_function("110"),
        members=[lead, retired, CommunityClinicianFactory()],
    )
    assert set(panel.members.all()) >= {lead, retired}


def test_panel_missing_a_sector_names_the_members_field():
    trust = TrustFactory()
    lead = ConsultantFactory(organisation=trust)
    with pytest.raises(ApplicationError) as caught:
        panel_create(
            actor=lead,
            name="Panel",
            provider=trust,
            treatment_function=treatment_function("110"),
            members=[lead, GPFactory()],
        )
    assert "missing: community" in caught.value.field_errors["members"][0]


def test_managers_cannot_sit_on_panels():
    trust = TrustFactory()
    lead = ConsultantFactory(organisation=trust)
    with pytest.raises(ApplicationError) as caught:
        panel_create(
            actor=lead,
            name="Panel",
            provider=trust,
            treatment_function=treatment_function("110"),
            members=[lead, GPFactory(), CommunityClinicianFactory(), ManagerFactory()],
        )
    assert "Only clinicians" in caught.value.field_errors["members"][0]


def test_bulk_assignment_takes_only_open_referrals_of_the_panels_service():
    panel = ReviewPanelFactory()
    lead = panel.members.get(role="consultant")
    matching = ReferralFactory.create_batch(2, provider=panel.provider)
    ReferralFactory(provider=panel.provider, treatment_function=treatment_function("120"))
    ReferralFactory(provider=panel.provider, status="treated")
    moved = panel_assign_referrals(
        panel=panel, actor=lead, context=CTX, referrals=Referral.objects.all()
    )
    assert moved == 2
    assert set(Referral.objects.filter(panel=panel)) == set(matching)


def test_only_the_providers_clinicians_assign_to_its_panels():
    panel = ReviewPanelFactory()
    gp_member = panel.members.get(role="gp")
    with pytest.raises(ApplicationError):
        panel_assign_referrals(
            panel=panel, actor=gp_member, context=CTX, referrals=Referral.objects.all()
        )


def long_waiter(**kwargs):
    return ReferralFactory(clock_start=timezone.localdate() - timedelta(days=400), **kwargs)


def test_a_52_week_wait_is_due_a_harm_review():
    referral = long_waiter(category="P4")
    consultant = ConsultantFactory(organisation=referral.provider)
    assert list(worklist_harm_reviews_due(consultant)) == [referral]


def test_a_wait_past_its_category_target_is_due_a_harm_review():
    referral = ReferralFactory(
        priority="urgent", clock_start=timezone.localdate() - timedelta(days=40)
    )
    consultant = ConsultantFactory(organisation=referral.provider)
    assert list(worklist_harm_reviews_due(consultant)) == [referral]


def test_a_recent_harm_review_takes_the_referral_off_the_due_list():
    referral = long_waiter()
    consultant = ConsultantFactory(organisation=referral.provider)
    harm_review_record(
        referral=referral, reviewer=consultant, context=CTX, outcome="no_harm", notes="Seen; stable"
    )
    assert not worklist_harm_reviews_due(consultant).exists()


def test_reprioritising_after_harm_changes_the_category_and_target():
    referral = long_waiter()
    consultant = ConsultantFactory(organisation=referral.provider)
    harm_review_record(
        referral=referral,
        reviewer=consultant,
        context=CTX,
        outcome="reprioritised",
        new_category="P2",
        notes="Worse pain",
    )
    referral.refresh_from_db()
    assert (referral.category, referral.effective_category) == ("P2", "P2")


def test_removal_needs_the_patients_agreement():
    referral = long_waiter()
    consultant = ConsultantFactory(organisation=referral.provider)
    with pytest.raises(ApplicationError) as caught:
        harm_review_record(
            referral=referral, reviewer=consultant, context=CTX, outcome="remove", notes="Resolved"
        )
    assert "patient_agreed" in caught.value.field_errors
    assert not HarmReview.objects.exists()


def test_removal_with_agreement_discharges_the_referral():
    referral = long_waiter()
    consultant = ConsultantFactory(organisation=referral.provider)
    harm_review_record(
        referral=referral,
        reviewer=consultant,
        context=CTX,
        outcome="remove",
        notes="Resolved",
        patient_agreed=True,
    )
    referral.refresh_from_db()
    assert referral.status == "discharged"
