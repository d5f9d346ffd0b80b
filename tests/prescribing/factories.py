"""Prescribing factories: pharmacies, joint budgets with their committees, prescriptions and
shared care agreements."""

from __future__ import annotations

from decimal import Decimal

import factory
from django.utils import timezone

from directory.models import OrganisationKind
from prescribing import rules
from prescribing.models import (
    AgreementStatus,
    Budget,
    MonitoringTest,
    Prescription,
    PrescriptionItem,
    SharedCareAgreement,
)
from tests.factories import (
    CommunityClinicianFactory,
    ConsultantFactory,
    GPFactory,
    IcbFactory,
    OrganisationFactory,
    PatientFactory,
)


class PharmacyFactory(OrganisationFactory):
    ods_code = factory.Sequence(lambda n: f"FA{n:03d}")
    name = factory.Sequence(lambda n: f"Test Pharmacy {n}")
    kind = OrganisationKind.PHARMACY


def this_financial_year() -> int:
    return rules.financial_year_of(timezone.localdate())


class BudgetFactory(factory.django.DjangoModelFactory):
    """A budget of this financial year whose committee has a GP, a community clinician and a
    consultant of its ICB (pass ``committee=[...]`` for others)."""

    class Meta:
        model = Budget
        skip_postgeneration_save = True

    icb = factory.SubFactory(IcbFactory)
    financial_year = factory.LazyFunction(this_financial_year)
    amount = Decimal("10000.00")
    therapeutic_area = factory.Sequence(lambda n: f"Therapeutic area {n}")

    @factory.post_generation
    def committee(self, create, extracted, **kwargs):
        if not create:
            return
        if extracted is None:
            extracted = [
                GPFactory(organisation__icb=self.icb),
                CommunityClinicianFactory(organisation__icb=self.icb),
                ConsultantFactory(organisation__icb=self.icb),
            ]
        self.committee.set(extracted)


class PrescriptionFactory(factory.django.DjangoModelFactory):
    """An issued prescription of one 14-day item costing ``total_cost``, by a consultant,
    charged to a budget of the patient's ICB."""

    class Meta:
        model = Prescription
        skip_postgeneration_save = True

    patient = factory.SubFactory(PatientFactory)
    prescriber = factory.SubFactory(ConsultantFactory)
    prescriber_organisation = factory.LazyAttribute(lambda o: o.prescriber.organisation)
    pharmacy = factory.SubFactory(PharmacyFactory)
    budget = factory.LazyAttribute(lambda o: BudgetFactory(icb=o.patient.registered_practice.icb))
    total_cost = Decimal("25.00")

    @factory.post_generation
    def items(self, create, extracted, **kwargs):
        if not create:
            return
        PrescriptionItem.objects.create(
            prescription=self,
            line=1,
            medicine="Amoxicillin 500mg capsules",
            dmd_code="39732311000001104",
            quantity=21,
            days_supply=14,
            cost=self.total_cost,
        )


class AgreementFactory(factory.django.DjangoModelFactory):
    """A shared care agreement proposed by a consultant to a GP of the patient's practice, with
    a full blood count every 90 days."""

    class Meta:
        model = SharedCareAgreement
        skip_postgeneration_save = True

    patient = factory.SubFactory(PatientFactory)
    consultant = factory.SubFactory(ConsultantFactory)
    gp = factory.LazyAttribute(lambda o: GPFactory(organisation=o.patient.registered_practice))
    medicine = "Methotrexate 2.5mg tablets"
    dmd_code = "39108711000001105"
    status = AgreementStatus.PROPOSED
    responded_at = factory.LazyAttribute(
        lambda o: None if o.status == AgreementStatus.PROPOSED else timezone.now()
    )
    decline_reason = factory.LazyAttribute(
        lambda o: "Not able to monitor." if o.status == AgreementStatus.DECLINED else ""
    )
    activated_at = factory.LazyAttribute(
        lambda o: timezone.now() if o.status == AgreementStatus.ACTIVE else None
    )

    @factory.post_generation
    def monitoring(self, create, extracted, **kwargs):
        if not create:
            return
        for code, name, interval in extracted or [("26604007", "Full blood count", 90)]:
            MonitoringTest.objects.create(
                agreement=self, test_type=code, name=name, interval_days=interval
            )
