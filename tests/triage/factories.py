"""Triage factories: referrals, panels, reviews, advice."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from tests.factories import (
    CommunityClinicianFactory,
    ConsultantFactory,
    GPFactory,
    PatientFactory,
    TrustFactory,
)
from triage.models import (
    AdviceDirection,
    AdviceRequest,
    MembershipStatus,
    PanelMembership,
    Referral,
    ReviewPanel,
    TreatmentFunction,
)
from triage.rules import queue_fields


def treatment_function(code: str = "110") -> TreatmentFunction:
    return TreatmentFunction.objects.get(code=code)


class ReferralFactory(factory.django.DjangoModelFactory):
    """A referral with its queue fields derived by the same rules the services use."""

    class Meta:
        model = Referral

    ubrn = factory.Sequence(lambda n: f"{100000000000 + n:012d}")
    patient = factory.SubFactory(PatientFactory)
    referring_practice = factory.LazyAttribute(lambda o: o.patient.registered_practice)
    provider = factory.SubFactory(TrustFactory)
    treatment_function = factory.LazyFunction(lambda: treatment_function("110"))
    priority = "routine"
    clock_start = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    reason = "Right knee pain, worse on stairs, failed physiotherapy."
    category = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        kwargs.update(
            {
                key: value
                for key, value in queue_fields(
                    category=kwargs.get("category"),
                    priority=kwargs["priority"],
                    clock_start=kwargs["clock_start"],
                ).items()
                if key not in kwargs
            }
        )
        return super()._create(model_class, *args, **kwargs)


class ReviewPanelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReviewPanel
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Orthopaedic review panel {n}")
    provider = factory.SubFactory(TrustFactory)
    treatment_function = factory.LazyFunction(lambda: treatment_function("110"))

    @factory.post_generation
    def members(self, create, extracted, **kwargs):
        """By default one GP, one community clinician and one consultant of the provider, each
        with an accepted seat (an established panel); invitations: ``PanelMembershipFactory``."""
        if not create:
            return
        members = (
            extracted
            if extracted is not None
            else [
                GPFactory(),
                CommunityClinicianFactory(),
                ConsultantFactory(organisation=self.provider),
            ]
        )
        for member in members:
            PanelMembership.objects.create(
                panel=self, user=member, status=MembershipStatus.ACCEPTED
            )


class PanelMembershipFactory(factory.django.DjangoModelFactory):
    """A seat offered to a clinician from outside the provider's ICB, not yet answered."""

    class Meta:
        model = PanelMembership

    panel = factory.SubFactory(ReviewPanelFactory)
    user = factory.SubFactory(GPFactory)
    status = MembershipStatus.PENDING


class AdviceRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdviceRequest

    direction = AdviceDirection.TO_GP
    referral = factory.SubFactory(ReferralFactory, status="advice_requested")
    patient = factory.LazyAttribute(lambda o: o.referral.patient)
    practice = factory.LazyAttribute(lambda o: o.referral.referring_practice)
    provider = factory.LazyAttribute(lambda o: o.referral.provider)
    treatment_function = factory.LazyAttribute(lambda o: o.referral.treatment_function)
    question = "Has the patient had a plain X-ray of the knee in the last year?"
    asked_by = factory.LazyAttribute(lambda o: ConsultantFactory(organisation=o.provider))
