"""Joint budgets: set up by the ICB's managers or an administrator, with a committee from
primary, community and secondary care; their positions and breakdown (docs/product.md §4)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from core.errors import ApplicationError
from directory.models import Role
from prescribing import selectors
from prescribing.models import Budget, PrescriptionStatus
from prescribing.services.budgets import budget_create
from tests.factories import (
    CommunityClinicianFactory,
    ConsultantFactory,
    DiagnosticsStaffFactory,
    GPFactory,
    IcbFactory,
    ManagerFactory,
    UserFactory,
)
from tests.prescribing.factories import BudgetFactory, PrescriptionFactory, this_financial_year
from tests.prescribing.helpers import CONTEXT

pytestmark = pytest.mark.django_db


def committee_of(icb):
    return [
        GPFactory(organisation__icb=icb),
        CommunityClinicianFactory(organisation__icb=icb),
        ConsultantFactory(organisation__icb=icb),
    ]


def create(actor, icb, **kwargs):
    return budget_create(
        actor=actor,
        context=CONTEXT,
        icb=icb,
        financial_year=kwargs.pop("financial_year", this_financial_year()),
        amount=kwargs.pop("amount", Decimal("250000.00")),
        therapeutic_area=kwargs.pop("therapeutic_area", "Respiratory"),
        committee=kwargs.pop("committee", None) or committee_of(icb),
    )


def test_a_manager_sets_up_a_budget_for_their_icb_with_a_three_sector_committee():
    manager = ManagerFactory()
    budget = create(manager, manager.organisation)
    assert budget.committee.count() == 3
    assert budget.amount == Decimal("250000.00")


def test_a_committee_without_community_care_is_refused_naming_committee():
    manager = ManagerFactory()
    icb = manager.organisation
    with pytest.raises(ApplicationError) as refused:
        create(
            manager,
            icb,
            committee=[GPFactory(organisation__icb=icb), ConsultantFactory(organisation__icb=icb)],
        )
    assert "community care" in " ".join(refused.value.field_errors["committee"])
    assert not Budget.objects.exists()


def test_a_committee_member_who_does_not_prescribe_is_refused():
    manager = ManagerFactory()
    icb = manager.organisation
    with pytest.raises(ApplicationError) as refused:
        create(manager, icb, committee=[*committee_of(icb), DiagnosticsStaffFactory()])
    assert "committee" in refused.value.field_errors


def test_a_committee_member_of_another_icb_is_refused():
    manager = ManagerFactory()
    icb = manager.organisation
    outsider = GPFactory()
    with pytest.raises(ApplicationError) as refused:
        create(manager, icb, committee=[*committee_of(icb), outsider])
    assert outsider.username in " ".join(refused.value.field_errors["committee"])


def test_a_manager_may_not_set_up_another_icbs_budget():
    with pytest.raises(ApplicationError) as refused:
        create(ManagerFactory(), IcbFactory())
    assert "icb" in refused.value.field_errors


def test_an_administrator_sets_up_any_icbs_budget():
    admin = UserFactory(role=Role.ADMIN, organisation=None)
    assert create(admin, IcbFactory()).created_by == admin


def test_clinicians_do_not_set_up_budgets():
    icb = IcbFactory()
    with pytest.raises(ApplicationError):
        create(GPFactory(organisation__icb=icb), icb)


def test_a_second_budget_for_the_same_icb_year_and_area_is_refused():
    manager = ManagerFactory()
    create(manager, manager.organisation)
    with pytest.raises(ApplicationError) as refused:
        create(manager, manager.organisation)
    assert "financial_year" in refused.value.field_errors


@pytest.mark.parametrize("amount", ["0", "-5", "12.345", "NaN", "abc"])
def test_an_amount_that_is_not_pounds_and_pence_above_zero_is_refused(amount):
    manager = ManagerFactory()
    with pytest.raises(ApplicationError) as refused:
        create(manager, manager.organisation, amount=amount)
    assert "amount" in refused.value.field_errors


def test_positions_sum_spent_and_committed_and_exclude_cancelled():
    budget = BudgetFactory(amount=Decimal("1000.00"))
    patient_kwargs = {"patient__registered_practice__icb": budget.icb, "budget": budget}
    PrescriptionFactory(**patient_kwargs, total_cost=Decimal("100.10"))
    PrescriptionFactory(
        **patient_kwargs,
        total_cost=Decimal("200.20"),
        status=PrescriptionStatus.DISPENSED,
        dispensed_at=datetime.datetime.now(tz=datetime.UTC),
    )
    PrescriptionFactory(
        **patient_kwargs,
        total_cost=Decimal("999.00"),
        status=PrescriptionStatus.CANCELLED,
        cancelled_at=datetime.datetime.now(tz=datetime.UTC),
    )
    (row,) = selectors.budget_positions(icb_id=budget.icb_id)
    assert row["budget"] == budget.uuid
    assert row["icb"] == budget.icb.ods_code
    assert (row["spent"], row["committed"], row["remaining"]) == (
        Decimal("200.20"),
        Decimal("100.10"),
        Decimal("699.70"),
    )


def test_positions_forecast_the_outturn_at_the_run_rate():
    budget = BudgetFactory(financial_year=2026, amount=Decimal("5000.00"))
    PrescriptionFactory(
        patient__registered_practice__icb=budget.icb, budget=budget, total_cost=Decimal("200.00")
    )
    (row,) = selectors.budget_positions(icb_id=budget.icb_id, today=datetime.date(2026, 6, 12))
    assert row["forecast_outturn"] == Decimal("1000.00")
    assert row["financial_year"] == "2026/27"


def test_positions_of_one_icb_leave_out_the_others():
    mine, theirs = BudgetFactory(), BudgetFactory()
    assert [p["budget"] for p in selectors.budget_positions(icb_id=mine.icb_id)] == [mine.uuid]
    assert {p["budget"] for p in selectors.budget_positions()} >= {mine.uuid, theirs.uuid}


def test_the_breakdown_gives_spend_by_prescriber_organisation_and_sector():
    budget = BudgetFactory()
    practice_gp = GPFactory(organisation__icb=budget.icb)
    for prescriber, cost in ((practice_gp, "10.00"), (ConsultantFactory(), "30.00")):
        PrescriptionFactory(
            patient__registered_practice__icb=budget.icb,
            budget=budget,
            prescriber=prescriber,
            total_cost=Decimal(cost),
        )
    breakdown = selectors.budget_breakdown(budget)
    by_sector = {row["sector"]: row["committed"] for row in breakdown["sectors"]}
    assert by_sector == {
        "primary": Decimal("10.00"),
        "community": Decimal("0.00"),
        "secondary": Decimal("30.00"),
    }
    organisations = {row["organisation"]: row["sector"] for row in breakdown["organisations"]}
    assert organisations[practice_gp.organisation.ods_code] == "primary"


def test_committee_members_managers_of_the_icb_and_administrators_see_a_budget():
    budget = BudgetFactory()
    member = budget.committee.first()
    manager = ManagerFactory(organisation=budget.icb)
    admin = UserFactory(role=Role.ADMIN, organisation=None)
    for user in (member, manager, admin):
        assert selectors.budgets_visible_to(user).filter(pk=budget.pk).exists()
    for user in (GPFactory(organisation__icb=budget.icb), ManagerFactory()):
        assert not selectors.budgets_visible_to(user).filter(pk=budget.pk).exists()
