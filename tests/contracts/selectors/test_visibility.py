"""Who sees which obligations, breach reports and patients (docs/contracts.md, Access)."""

from __future__ import annotations

import pytest

from contracts.selectors import breach_reports_visible_to, obligations_visible_to
from directory.selectors import patients_visible_to
from tests.contracts.factories import BreachReportFactory, DischargeFactory, ObligationFactory
from tests.factories import (
    CommunityClinicianFactory,
    ConsultantFactory,
    DiagnosticsStaffFactory,
    GPFactory,
    ManagerFactory,
    PatientFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def obligation():
    return ObligationFactory()


def test_the_providers_clinicians_see_its_obligations(obligation):
    consultant = ConsultantFactory(organisation=obligation.provider)
    assert list(obligations_visible_to(consultant)) == [obligation]


def test_another_providers_clinicians_do_not(obligation):
    assert not obligations_visible_to(ConsultantFactory()).exists()
    assert not obligations_visible_to(CommunityClinicianFactory()).exists()


def test_the_gps_of_the_patients_practice_see_them(obligation):
    gp = GPFactory(organisation=obligation.patient.registered_practice)
    assert list(obligations_visible_to(gp)) == [obligation]


def test_other_gps_do_not(obligation):
    assert not obligations_visible_to(GPFactory()).exists()


def test_the_managers_of_the_providers_icb_see_them_others_do_not(obligation):
    assert list(obligations_visible_to(ManagerFactory(organisation=obligation.provider.icb))) == [
        obligation
    ]
    assert not obligations_visible_to(ManagerFactory()).exists()


def test_diagnostics_staff_and_administrators_see_none(obligation):
    assert not obligations_visible_to(DiagnosticsStaffFactory()).exists()
    admin = UserFactory(role="admin", organisation=obligation.provider)
    assert not obligations_visible_to(admin).exists()


def test_a_discharge_lets_the_providers_clinicians_see_the_patient():
    discharge = DischargeFactory()
    colleague = ConsultantFactory(organisation=discharge.provider)
    assert discharge.patient in patients_visible_to(colleague)
    assert discharge.patient not in patients_visible_to(ConsultantFactory())


def test_a_breach_report_is_seen_by_the_practice_and_the_provider_addressed():
    report = BreachReportFactory()
    assert list(breach_reports_visible_to(GPFactory(organisation=report.practice))) == [report]
    assert list(breach_reports_visible_to(ConsultantFactory(organisation=report.provider))) == [
        report
    ]


def test_a_breach_report_is_not_seen_by_other_practices_providers_or_managers():
    report = BreachReportFactory()
    for user in (
        GPFactory(),
        ConsultantFactory(),
        ManagerFactory(organisation=report.provider.icb),
    ):
        assert not breach_reports_visible_to(user).exists()


def test_an_inactive_user_sees_nothing(obligation):
    consultant = ConsultantFactory(organisation=obligation.provider, is_active=False)
    assert not obligations_visible_to(consultant).exists()


def test_a_patient_elsewhere_is_not_seen_through_contracts():
    PatientFactory()
    assert not patients_visible_to(ConsultantFactory()).exists()
