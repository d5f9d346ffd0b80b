"""Which referrals each role may see (docs/product.md §1), used by every triage view and endpoint."""

import pytest

from directory.selectors import patients_visible_to
from tests.factories import (
    CommunityClinicianFactory,
    ConsultantFactory,
    DiagnosticsStaffFactory,
    GPFactory,
    ManagerFactory,
    PatientFactory,
    PracticeFactory,
    TrustFactory,
)
from tests.triage.factories import (
    AdviceRequestFactory,
    ReferralFactory,
    ReviewPanelFactory,
    treatment_function,
)
from triage.selectors import is_pseudonymised_for, referrals_visible_to

pytestmark = pytest.mark.django_db


def test_gp_sees_their_practices_referrals_only():
    mine = ReferralFactory()
    ReferralFactory()
    gp = GPFactory(organisation=mine.referring_practice)
    assert list(referrals_visible_to(gp)) == [mine]


def test_gp_of_another_practice_sees_none():
    ReferralFactory()
    assert not referrals_visible_to(GPFactory()).exists()


def test_consultant_sees_referrals_to_their_trust():
    mine = ReferralFactory()
    ReferralFactory()
    assert list(referrals_visible_to(ConsultantFactory(organisation=mine.provider))) == [mine]


def test_panel_member_from_another_organisation_sees_the_panels_referrals():
    panel = ReviewPanelFactory()
    assigned = ReferralFactory(provider=panel.provider, panel=panel)
    ReferralFactory(provider=panel.provider)
    community_member = panel.members.get(role="community_clinician")
    assert list(referrals_visible_to(community_member)) == [assigned]


def test_panel_member_may_open_the_patient_of_an_assigned_referral():
    panel = ReviewPanelFactory()
    assigned = ReferralFactory(provider=panel.provider, panel=panel)
    gp_member = panel.members.get(role="gp")
    assert list(patients_visible_to(gp_member)) == [assigned.patient]


def test_consultant_may_open_the_patient_referred_to_their_trust():
    referral = ReferralFactory()
    assert list(patients_visible_to(ConsultantFactory(organisation=referral.provider))) == [
        referral.patient
    ]


def test_specialist_asked_for_advice_and_guidance_may_open_the_patient():
    specialist_trust = TrustFactory()
    advice = AdviceRequestFactory(
        direction="to_specialist",
        referral=None,
        patient=PatientFactory(),
        practice=PracticeFactory(),
        provider=specialist_trust,
        treatment_function=treatment_function("110"),
    )
    specialist = ConsultantFactory(organisation=advice.provider)
    assert list(patients_visible_to(specialist)) == [advice.patient]


def test_community_clinician_not_on_a_panel_sees_no_referral():
    ReferralFactory()
    assert not referrals_visible_to(CommunityClinicianFactory()).exists()


def test_diagnostics_staff_see_no_referral():
    ReferralFactory()
    assert not referrals_visible_to(DiagnosticsStaffFactory()).exists()


def test_manager_sees_their_icbs_referrals_pseudonymised():
    referral = ReferralFactory()
    ReferralFactory()
    manager = ManagerFactory(organisation=referral.provider.icb)
    assert list(referrals_visible_to(manager)) == [referral]
    assert is_pseudonymised_for(manager)


def test_clinicians_see_identifiable_rows():
    assert not is_pseudonymised_for(GPFactory())
