"""Issuing, dispensing and cancelling prescriptions (docs/product.md §4)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from audit.models import AuditAction, AuditEvent
from core.errors import ApplicationError, ConflictError
from directory.selectors import patients_visible_to
from prescribing import selectors
from prescribing.models import Prescription, PrescriptionStatus
from prescribing.services.prescriptions import (
    prescription_cancel,
    prescription_dispense,
    prescription_issue,
)
from tests.factories import (
    CommunityClinicianFactory,
    DiagnosticsStaffFactory,
    GPFactory,
    PracticeFactory,
)
from tests.prescribing.factories import BudgetFactory, PharmacyFactory
from tests.prescribing.helpers import CONTEXT, item, setting
from tests.triage.factories import ReferralFactory

pytestmark = pytest.mark.django_db


def issue(s, *, actor=None, **kwargs):
    return prescription_issue(
        actor=actor or s.consultant,
        context=CONTEXT,
        patient=kwargs.pop("patient", s.patient),
        pharmacy=kwargs.pop("pharmacy", s.pharmacy),
        budget=kwargs.pop("budget", s.budget),
        items=kwargs.pop("items", [item()]),
        **kwargs,
    )


def position(budget) -> dict:
    return next(p for p in selectors.budget_positions() if p["budget"] == budget.uuid)


def test_a_consultants_14_day_discharge_prescription_commits_exactly_its_cost():
    s = setting()
    before = position(s.budget)["committed"]
    prescription = issue(
        s,
        discharge=True,
        items=[item(days_supply=14, cost=Decimal("12.34")), item(cost=Decimal("0.66"))],
    )
    assert prescription.status == PrescriptionStatus.ISSUED
    assert prescription.pharmacy == s.pharmacy
    assert position(s.budget)["committed"] - before == Decimal("13.00")
    assert Prescription.objects.get(pk=prescription.pk).total_cost == Decimal("13.00")


def test_a_3_day_discharge_prescription_without_a_reason_is_refused_naming_the_field():
    s = setting()
    with pytest.raises(ApplicationError) as refused:
        issue(s, discharge=True, items=[item(days_supply=3)])
    assert list(refused.value.field_errors) == ["short_supply_reason"]
    assert "7 days" in refused.value.field_errors["short_supply_reason"][0]
    assert not Prescription.objects.exists()


def test_a_3_day_discharge_prescription_with_a_clinical_reason_is_issued():
    s = setting()
    prescription = issue(
        s, discharge=True, short_supply_reason="Completes a course.", items=[item(days_supply=3)]
    )
    assert prescription.short_supply_reason == "Completes a course."


def test_sums_stay_exact_over_a_thousand_items_of_ten_pence():
    s = setting()
    prescription = issue(s, items=[item(cost=Decimal("0.10"))] * 1000)
    assert Prescription.objects.get(pk=prescription.pk).total_cost == Decimal("100.00")
    assert position(s.budget)["committed"] == Decimal("100.00")


def test_budget_sums_stay_exact_over_a_thousand_prescriptions_of_ten_pence():
    s = setting()
    Prescription.objects.bulk_create(
        Prescription(
            patient=s.patient,
            prescriber=s.consultant,
            prescriber_organisation=s.consultant.organisation,
            pharmacy=s.pharmacy,
            budget=s.budget,
            total_cost=Decimal("0.10"),
        )
        for _ in range(1000)
    )
    figures = position(s.budget)
    assert figures["committed"] == Decimal("100.00")
    assert figures["remaining"] == Decimal("9900.00")


def test_money_is_decimal_never_float():
    s = setting()
    issue(s, items=[item(cost=Decimal("0.10"))])
    figures = position(s.budget)
    assert all(
        isinstance(figures[k], Decimal)
        for k in ("amount", "spent", "committed", "remaining", "forecast_outturn")
    )


def test_dispensing_moves_the_cost_from_committed_to_spent():
    s = setting()
    prescription = issue(s, items=[item(cost=Decimal("9.99"))])
    prescription_dispense(prescription=prescription, actor=s.consultant, context=CONTEXT)
    figures = position(s.budget)
    assert (figures["spent"], figures["committed"]) == (Decimal("9.99"), Decimal("0.00"))


def test_a_cancelled_prescription_is_no_longer_committed():
    s = setting()
    prescription = issue(s, items=[item(cost=Decimal("9.99"))])
    prescription_cancel(prescription=prescription, actor=s.consultant, context=CONTEXT)
    assert position(s.budget)["committed"] == Decimal("0.00")


def test_dispensing_twice_is_a_conflict():
    s = setting()
    prescription = issue(s)
    prescription_dispense(prescription=prescription, actor=s.consultant, context=CONTEXT)
    with pytest.raises(ConflictError):
        prescription_dispense(prescription=prescription, actor=s.consultant, context=CONTEXT)


def test_only_the_prescriber_records_dispensing():
    s = setting()
    prescription = issue(s)
    with pytest.raises(ApplicationError):
        prescription_dispense(prescription=prescription, actor=s.gp, context=CONTEXT)


def test_a_gp_may_prescribe_for_their_practices_patient():
    s = setting()
    assert issue(s, actor=s.gp).prescriber_organisation == s.gp.organisation


def test_diagnostics_staff_do_not_prescribe():
    s = setting()
    with pytest.raises(ApplicationError):
        issue(s, actor=DiagnosticsStaffFactory())


def test_a_patient_the_prescriber_may_not_see_is_refused_naming_nhs_number():
    s = setting()
    stranger = PracticeFactory(icb=s.icb)
    with pytest.raises(ApplicationError) as refused:
        issue(s, actor=GPFactory(organisation=stranger))
    assert "nhs_number" in refused.value.field_errors


def test_a_budget_of_another_icb_is_refused_naming_budget():
    s = setting()
    with pytest.raises(ApplicationError) as refused:
        issue(s, budget=BudgetFactory())
    assert "budget" in refused.value.field_errors


def test_a_budget_of_another_financial_year_is_refused_naming_budget():
    s = setting()
    last_year = BudgetFactory(icb=s.icb, financial_year=s.budget.financial_year - 1)
    with pytest.raises(ApplicationError) as refused:
        issue(s, budget=last_year)
    assert "budget" in refused.value.field_errors


def test_an_organisation_that_is_not_a_pharmacy_is_refused_naming_pharmacy():
    s = setting()
    with pytest.raises(ApplicationError) as refused:
        issue(s, pharmacy=s.patient.registered_practice)
    assert "pharmacy" in refused.value.field_errors


def test_bad_items_are_refused_naming_items_and_each_item():
    s = setting()
    with pytest.raises(ApplicationError) as refused:
        issue(s, items=[item(), item(quantity=0, cost=Decimal("1.005"))])
    problems = refused.value.field_errors["items"]
    assert any("Item 2" in p and "quantity" in p for p in problems)
    assert any("Item 2" in p and "cost" in p for p in problems)


def test_a_prescription_with_no_items_is_refused():
    s = setting()
    with pytest.raises(ApplicationError) as refused:
        issue(s, items=[])
    assert "items" in refused.value.field_errors


def test_issuing_audits_the_patient_as_created():
    s = setting()
    prescription = issue(s)
    event = AuditEvent.objects.get(object_id=str(prescription.uuid))
    assert (event.action, event.patient_id, event.user_id) == (
        AuditAction.CREATE,
        s.patient.pk,
        s.consultant.pk,
    )


def test_the_prescriber_then_sees_the_patient():
    s = setting()
    community = CommunityClinicianFactory(organisation__icb=s.icb)
    assert not patients_visible_to(community).filter(pk=s.patient.pk).exists()
    # Sight first through a referral to their service, which the prescription then outlives.
    referral = ReferralFactory(patient=s.patient, provider=community.organisation)
    issue(s, actor=community)
    referral.delete()
    assert patients_visible_to(community).filter(pk=s.patient.pk).exists()


def test_a_prescription_is_issued_now():
    s = setting()
    before = timezone.now()
    assert issue(s).issued_at >= before


def test_a_new_pharmacy_of_another_icb_is_still_a_nominated_pharmacy():
    s = setting()
    assert issue(s, pharmacy=PharmacyFactory()).pharmacy.kind == "pharmacy"
