"""Dashboards factories: snapshot days and rows, and the referrals a dashboard counts."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from dashboards.models import (
    BudgetSnapshot,
    ComplianceSnapshot,
    DiagnosticSnapshot,
    ServiceSnapshot,
    SnapshotDay,
)
from tests.factories import DiagnosticHubFactory, IcbFactory, TrustFactory


class SnapshotDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SnapshotDay
        django_get_or_create = ("day",)

    day = factory.LazyFunction(timezone.localdate)
    taken_at = factory.LazyFunction(timezone.now)


class ServiceSnapshotFactory(factory.django.DjangoModelFactory):
    """A service's row on a day; the day's ``SnapshotDay`` is made with it. Bands are all in
    0-18 weeks unless given."""

    class Meta:
        model = ServiceSnapshot

    day = factory.LazyFunction(timezone.localdate)
    provider = factory.SubFactory(TrustFactory)
    icb = factory.LazyAttribute(lambda o: o.provider.icb)
    treatment_function = "110"
    open_referrals = 100
    band_0_18 = factory.LazyAttribute(lambda o: o.open_referrals)
    received_12_weeks = 120
    stopped_12_weeks = 120
    days_waited = factory.LazyAttribute(lambda o: o.open_referrals * 35)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        SnapshotDayFactory(day=kwargs["day"])
        return super()._create(model_class, *args, **kwargs)


class DiagnosticSnapshotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DiagnosticSnapshot

    day = factory.LazyFunction(timezone.localdate)
    hub = factory.SubFactory(DiagnosticHubFactory)
    icb = factory.LazyAttribute(lambda o: o.hub.icb)
    test_type = "29303009"
    test_type_name = "Electrocardiogram"
    waiting = 40
    over_6_weeks = 5


class BudgetSnapshotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetSnapshot

    day = factory.LazyFunction(timezone.localdate)
    icb = factory.SubFactory(IcbFactory)
    budget = factory.Sequence(lambda n: f"00000000-0000-4000-8000-{n:012d}")
    therapeutic_area = "Respiratory"
    financial_year = "2026/27"
    amount = "100000.00"
    spent = "25000.00"
    committed = "5000.00"
    forecast_outturn = "95000.00"


class ComplianceSnapshotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ComplianceSnapshot

    day = factory.LazyFunction(timezone.localdate)
    provider = factory.SubFactory(TrustFactory)
    icb = factory.LazyAttribute(lambda o: o.provider.icb)
    duty = "discharge_summary"
    due = 10
    met = 7
    met_late = 2
    overdue = 1
    breach_reports = 0


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)
