"""GP breach reports and their letters (docs/product.md §5)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from audit.services import COMMAND_CONTEXT
from contracts.models import BreachReport, Duty
from contracts.reference_data import CLAUSES, CONTRACT_EDITION
from contracts.services.reports import breach_report_create, breach_report_letter_update
from core.errors import ApplicationError, ConflictError
from tests.contracts.factories import BreachReportFactory
from tests.factories import (
    ConsultantFactory,
    GPFactory,
    PatientFactory,
    PracticeFactory,
    TrustFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def gp():
    return GPFactory()


@pytest.fixture
def patient(gp):
    return PatientFactory(registered_practice=gp.organisation)


def report(gp, patient, **overrides):
    values = {
        "duty": Duty.ONWARD_REFERRAL,
        "provider": TrustFactory(),
        "occurred_on": timezone.localdate() - timedelta(days=2),
        "description": "The discharge letter asked us to refer to cardiology.",
    }
    values.update(overrides)
    return breach_report_create(actor=gp, context=COMMAND_CONTEXT, patient=patient, **values)


@pytest.mark.parametrize("duty", Duty.values)
def test_every_duty_has_a_clause_and_a_requirement(duty):
    assert CLAUSES[duty].reference.startswith("SC")
    assert CLAUSES[duty].requirement


def test_the_letter_names_provider_icb_practice_date_patient_duty_and_clause(gp, patient):
    trust = TrustFactory(name="Homerton Healthcare NHS Foundation Trust", ods_code="RQX")
    made, created = report(gp, patient, provider=trust, occurred_on=date(2026, 2, 3))
    letter = made.letter
    assert created
    assert "To: Homerton Healthcare NHS Foundation Trust (RQX)" in letter
    assert f"Copy: {trust.icb.name} ({trust.icb.ods_code})" in letter
    assert f"{gp.organisation.name} ({gp.organisation.ods_code})" in letter
    assert "3 February 2026" in letter
    assert f"NHS number {patient.nhs_number_display}" in letter
    assert "onward referral" in letter
    assert f"{CLAUSES['onward_referral'].reference} ({CONTRACT_EDITION})" in letter
    assert "asked us to refer to cardiology" in letter


def test_the_letter_names_no_patient_by_name(gp, patient):
    made, _ = report(gp, patient)
    assert patient.family_name not in made.letter and patient.given_name not in made.letter


def test_the_same_report_sent_again_is_found(gp, patient):
    trust = TrustFactory()
    first, _ = report(gp, patient, provider=trust)
    again, created = report(gp, patient, provider=trust)
    assert (again, created) == (first, False)


def test_another_account_of_the_same_breach_is_a_conflict(gp, patient):
    trust = TrustFactory()
    report(gp, patient, provider=trust)
    with pytest.raises(ConflictError):
        report(gp, patient, provider=trust, description="Something else.")


def test_only_a_patient_of_the_gps_practice(gp):
    elsewhere = PatientFactory(registered_practice=PracticeFactory())
    with pytest.raises(ApplicationError) as error:
        report(gp, elsewhere)
    assert "nhs_number" in error.value.field_errors


def test_an_obligation_duty_is_not_a_breach_report(gp, patient):
    with pytest.raises(ApplicationError) as error:
        report(gp, patient, duty=Duty.DISCHARGE_SUMMARY)
    assert "duty" in error.value.field_errors


def test_a_practice_is_not_a_provider(gp, patient):
    with pytest.raises(ApplicationError) as error:
        report(gp, patient, provider=PracticeFactory())
    assert "provider" in error.value.field_errors


def test_a_future_date_is_refused(gp, patient):
    with pytest.raises(ApplicationError) as error:
        report(gp, patient, occurred_on=timezone.localdate() + timedelta(days=1))
    assert error.value.field_errors == {"occurred_on": ["It is in the future."]}


def test_a_consultant_cannot_report(patient):
    with pytest.raises(ApplicationError):
        report(ConsultantFactory(), patient)
    assert not BreachReport.objects.exists()


def test_a_gp_of_the_practice_edits_the_letter():
    made = BreachReportFactory()
    colleague = GPFactory(organisation=made.practice)
    breach_report_letter_update(
        report=made, actor=colleague, context=COMMAND_CONTEXT, letter="Edited\r\nletter"
    )
    made.refresh_from_db()
    assert made.letter == "Edited\nletter"
    assert made.letter_edited_at is not None


def test_the_provider_cannot_edit_the_letter():
    made = BreachReportFactory()
    with pytest.raises(ApplicationError):
        breach_report_letter_update(
            report=made,
            actor=ConsultantFactory(organisation=made.provider),
            context=COMMAND_CONTEXT,
            letter="Not ours.",
        )


def test_an_empty_letter_is_refused():
    made = BreachReportFactory()
    with pytest.raises(ApplicationError) as error:
        breach_report_letter_update(
            report=made, actor=made.reported_by, context=COMMAND_CONTEXT, letter="   "
        )
    assert "letter" in error.value.field_errors
