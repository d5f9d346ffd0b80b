"""The records and people the access matrix is played on.

Two scenarios are built the same way, one in each of two ICBs: "home", whose records every
cell asks for, and "foreign", in another ICB. A cell's "other" user is the foreign scenario's
holder of the same role, so the same run proves both that a stranger is refused the home records
and that no list shows anyone rows of the other ICB (docs/product.md §1).

Both patients share a family name, so a search by family name would return the foreign one
too if a filter leaked; everything else that identifies a record (NHS number, given name,
date of birth, UBRN, ids) is distinct and is what the leak checks look for.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from directory.models import Organisation, Patient, Role, User
from tests.access.records import SCENARIO_EXTENSIONS
from tests.factories import (
    CommunityClinicianFactory,
    CommunityProviderFactory,
    ConsultantFactory,
    DiagnosticHubFactory,
    DiagnosticsStaffFactory,
    GPFactory,
    IcbFactory,
    ManagerFactory,
    PatientFactory,
    PracticeFactory,
    TrustFactory,
    UserFactory,
    synthetic_nhs_number,
)
from tests.triage.factories import (
    AdviceRequestFactory,
    ReferralFactory,
    ReviewPanelFactory,
    treatment_function,
)
from triage.models import AdviceDirection, MembershipStatus, PanelMembership, Referral, ReviewPanel

FAMILY_NAME = "Matrixson"
# Names and numbers no factory or page produces by chance, so finding one in a body is a leak.
GIVEN_NAMES = {"home": "Homeward", "foreign": "Foreignia"}
DATES_OF_BIRTH = {"home": datetime.date(1941, 7, 13), "foreign": datetime.date(1938, 11, 27)}
NHS_SEQUENCE = {"home": 77001, "foreign": 77002}

# The user who holds the legitimate relationship, by role (docs/product.md §1). An entry may
# name another (panels: the GP who sits on the panel, not the patient's GP).
HOLDERS = {
    Role.GP: "gp",
    Role.CONSULTANT: "consultant",
    Role.COMMUNITY_CLINICIAN: "community_clinician",
    Role.DIAGNOSTICS_STAFF: "diagnostics_staff",
    Role.MANAGER: "manager",
    Role.ADMIN: "admin",
}
# Clinicians of a neighbouring ICB invited to sit on panel A, who have not answered yet: the
# holders of an invitation (accept, decline, the list of one's invitations).
INVITEES = {
    Role.GP: "invited_gp",
    Role.CONSULTANT: "invited_consultant",
    Role.COMMUNITY_CLINICIAN: "invited_community_clinician",
    Role.DIAGNOSTICS_STAFF: "invited_diagnostics_staff",
}


@dataclass
class Scenario:
    """One ICB's organisations, people and triage records."""

    label: str
    icb: Organisation
    practice: Organisation
    trust: Organisation
    patient: Patient
    referral: Referral  # awaiting review, on panel A, waiting 400 days: a harm review is due
    accepted: Referral  # accepted, to book
    booked: Referral  # booked, for a DNA
    rebook: Referral  # accepted after a DNA: on the DNA worklist
    deferred: Referral  # P5: the patient chose to wait
    panel_a: ReviewPanel
    panel_b: ReviewPanel  # the same service's second panel, for reassignment
    advice_to_gp: object
    advice_to_specialist: object
    users: dict[str, User] = field(default_factory=dict)
    unrelated: dict[str, User] = field(default_factory=dict)
    # The rest of the ICB, for the other apps' records (tests/access/matrix/<app>.py).
    orgs: dict[str, Organisation] = field(default_factory=dict)
    # Each app's records, added by its ``extend(scenario)``, and the strings that name them.
    extra: dict[str, object] = field(default_factory=dict)
    extra_identifiers: set[str] = field(default_factory=set)

    @property
    def referrals(self) -> list[Referral]:
        return [self.referral, self.accepted, self.booked, self.rebook, self.deferred]

    def identifiers(self) -> set[str]:
        """Strings that may appear only in a response to someone entitled to this scenario."""
        patient = self.patient
        found = {
            patient.nhs_number,
            patient.nhs_number_display,
            patient.given_name,
            str(patient.uuid),
            str(self.panel_a.uuid),
            str(self.panel_b.uuid),
            str(self.advice_to_gp.uuid),
            str(self.advice_to_specialist.uuid),
        }
        for referral in (*self.referrals, self.advice_to_gp.referral):
            found |= {str(referral.uuid), referral.ubrn}
        return found | self.extra_identifiers

    def patient_identifiers(self) -> set[str]:
        """What managers and administrators never see (docs/product.md §1): names, NHS
        number, date of birth."""
        patient = self.patient
        dob = patient.date_of_birth
        return {
            patient.nhs_number,
            patient.nhs_number_display,
            patient.given_name,
            patient.family_name,
            dob.isoformat(),
            f"{dob.day} {dob:%b %Y}",
            f"{dob.day} {dob:%B %Y}",
        }


def _user(factory, label: str, key: str, **kwargs) -> User:
    return factory(
        username=f"{label}-{key}".replace("_", "-"),
        first_name=label.title(),
        last_name=key.replace("_", " ").title(),
        **kwargs,
    )


def build_scenario(label: str) -> Scenario:
    today = timezone.localdate()
    icb = IcbFactory(name=f"NHS {label.title()} Integrated Care Board")
    practice = PracticeFactory(icb=icb)
    other_practice = PracticeFactory(icb=icb)
    trust = TrustFactory(icb=icb)
    other_trust = TrustFactory(icb=icb)
    community = CommunityProviderFactory(icb=icb)
    hub = DiagnosticHubFactory(icb=icb)
    other_hub = DiagnosticHubFactory(icb=icb)

    neighbour = IcbFactory(name=f"NHS {label.title()} Neighbouring Integrated Care Board")
    invited = {
        "invited_gp": _user(GPFactory, label, "invited_gp", organisation__icb=neighbour),
        "invited_consultant": _user(
            ConsultantFactory, label, "invited_consultant", organisation__icb=neighbour
        ),
        "invited_community_clinician": _user(
            CommunityClinicianFactory,
            label,
            "invited_community_clinician",
            organisation__icb=neighbour,
        ),
        "invited_diagnostics_staff": _user(
            DiagnosticsStaffFactory, label, "invited_diagnostics_staff", organisation__icb=neighbour
        ),
    }
    users = {
        **invited,
        "gp": _user(GPFactory, label, "gp", organisation=practice),
        "panel_gp": _user(GPFactory, label, "panel_gp", organisation=other_practice),
        "consultant": _user(ConsultantFactory, label, "consultant", organisation=trust),
        "community_clinician": _user(
            CommunityClinicianFactory, label, "community_clinician", organisation=community
        ),
        "diagnostics_staff": _user(
            DiagnosticsStaffFactory, label, "diagnostics_staff", organisation=hub
        ),
        "manager": _user(ManagerFactory, label, "manager", organisation=icb),
        # An administrator employed by the provider: admins see no patient wherever they work.
        "admin": _user(UserFactory, label, "admin", role=Role.ADMIN, organisation=trust),
    }
    # Same role, same kind of organisation, no relationship with any record here. The community
    # clinician works at the very provider whose colleague sits on the panel; the manager's ICB
    # holds no organisation at all; the administrator is a system administrator of none.
    unrelated = {
        Role.GP: _user(GPFactory, label, "unrelated_gp", organisation=other_practice),
        Role.CONSULTANT: _user(
            ConsultantFactory, label, "unrelated_consultant", organisation=other_trust
        ),
        Role.COMMUNITY_CLINICIAN: _user(
            CommunityClinicianFactory, label, "unrelated_community", organisation=community
        ),
        Role.DIAGNOSTICS_STAFF: _user(
            DiagnosticsStaffFactory, label, "unrelated_diagnostics", organisation=other_hub
        ),
        Role.MANAGER: _user(ManagerFactory, label, "unrelated_manager", organisation=IcbFactory()),
        Role.ADMIN: _user(
            UserFactory, label, "unrelated_admin", role=Role.ADMIN, organisation=None
        ),
    }

    patient = PatientFactory(
        nhs_number=synthetic_nhs_number(NHS_SEQUENCE[label]),
        family_name=FAMILY_NAME,
        given_name=GIVEN_NAMES[label],
        date_of_birth=DATES_OF_BIRTH[label],
        registered_practice=practice,
    )
    members = [users["panel_gp"], users["community_clinician"], users["consultant"]]
    panel_a = ReviewPanelFactory(
        provider=trust, name=f"{label.title()} knee panel", members=members
    )
    PanelMembership.objects.bulk_create(
        PanelMembership(panel=panel_a, user=user, status=MembershipStatus.PENDING)
        for user in invited.values()
    )
    panel_b = ReviewPanelFactory(
        provider=trust,
        name=f"{label.title()} hip panel",
        members=[users["panel_gp"], users["community_clinician"]],
    )

    def referral(**kwargs) -> Referral:
        return ReferralFactory(
            patient=patient,
            provider=trust,
            panel=panel_a,
            referring_clinician=users["gp"],
            **kwargs,
        )

    long_ago = today - datetime.timedelta(days=400)
    main = referral(clock_start=long_ago)
    accepted = referral(status="accepted", category="P3")
    booked = referral(
        status="booked",
        category="P3",
        appointment_on=today + datetime.timedelta(days=7),
        appointments_booked=1,
    )
    rebook = referral(status="accepted", category="P3", awaiting_rebook=True, dna_count=1)
    deferred = referral(
        category="P5", deferred=True, contact_on=today + datetime.timedelta(days=30)
    )
    advice_to_gp = AdviceRequestFactory(
        referral=referral(status="advice_requested"), asked_by=users["consultant"]
    )
    advice_to_specialist = AdviceRequestFactory(
        direction=AdviceDirection.TO_SPECIALIST,
        referral=None,
        patient=patient,
        practice=practice,
        provider=trust,
        treatment_function=treatment_function("110"),
        asked_by=users["gp"],
        question="Would a steroid injection help before referral?",
    )
    scenario = Scenario(
        label=label,
        icb=icb,
        practice=practice,
        trust=trust,
        patient=patient,
        referral=main,
        accepted=accepted,
        booked=booked,
        rebook=rebook,
        deferred=deferred,
        panel_a=panel_a,
        panel_b=panel_b,
        advice_to_gp=advice_to_gp,
        advice_to_specialist=advice_to_specialist,
        users=users,
        unrelated=unrelated,
        orgs={
            "other_practice": other_practice,
            "other_trust": other_trust,
            "community": community,
            "hub": hub,
            "other_hub": other_hub,
            "neighbour": neighbour,
        },
    )
    for extend in SCENARIO_EXTENSIONS:
        extend(scenario)
    return scenario


@dataclass
class World:
    home: Scenario
    foreign: Scenario

    def user(self, role: str, relationship: str, holder: str) -> User:
        if relationship == "own":
            return self.home.users[holder]
        if relationship == "other":
            return self.foreign.users[holder]
        return self.home.unrelated[role]


def build_world() -> World:
    return World(home=build_scenario("home"), foreign=build_scenario("foreign"))
