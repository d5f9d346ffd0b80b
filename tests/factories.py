"""Factories shared by every app's tests (factory-boy). Test data uses 999-range NHS numbers."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from audit.models import AuditEvent
from directory.models import Organisation, OrganisationKind, Patient, Role, User
from directory.validators import nhs_number_check_digit

DEFAULT_PASSWORD = "correct-horse-battery-staple"


def synthetic_nhs_number(n: int) -> str:
    """The n-th valid NHS number in the 999 test range (never a real patient's): eight digits
    from n, then the first ninth digit that gives a valid Modulus 11 check digit."""
    prefix = f"999{n % 100_000:05d}"
    for ninth in range(10):
        digit = nhs_number_check_digit(f"{prefix}{ninth}")
        if digit is not None:
            return f"{prefix}{ninth}{digit}"
    raise AssertionError("unreachable: one of ten ninth digits always gives a check digit")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("ods_code",)

    ods_code = factory.Sequence(lambda n: f"T{n:05d}")
    name = factory.Faker("company")
    kind = OrganisationKind.GP_PRACTICE
    icb = factory.LazyAttribute(lambda o: None if o.kind == OrganisationKind.ICB else IcbFactory())


class IcbFactory(OrganisationFactory):
    ods_code = factory.Sequence(lambda n: f"Q{n:02d}")
    name = factory.Sequence(lambda n: f"NHS Test Integrated Care Board {n}")
    kind = OrganisationKind.ICB
    icb = None


class PracticeFactory(OrganisationFactory):
    ods_code = factory.Sequence(lambda n: f"P{n:05d}")
    name = factory.Sequence(lambda n: f"Test Medical Practice {n}")
    kind = OrganisationKind.GP_PRACTICE


class TrustFactory(OrganisationFactory):
    ods_code = factory.Sequence(lambda n: f"R{n:02d}")
    name = factory.Sequence(lambda n: f"Test Hospitals NHS Trust {n}")
    kind = OrganisationKind.TRUST


class CommunityProviderFactory(OrganisationFactory):
    ods_code = factory.Sequence(lambda n: f"C{n:02d}")
    name = factory.Sequence(lambda n: f"Test Community Health Services {n}")
    kind = OrganisationKind.COMMUNITY_PROVIDER


class DiagnosticHubFactory(OrganisationFactory):
    ods_code = factory.Sequence(lambda n: f"D{n:02d}")
    name = factory.Sequence(lambda n: f"Test Community Diagnostic Centre {n}")
    kind = OrganisationKind.DIAGNOSTIC_HUB


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    role = Role.GP
    organisation = factory.SubFactory(PracticeFactory)
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class GPFactory(UserFactory):
    role = Role.GP
    organisation = factory.SubFactory(PracticeFactory)


class ConsultantFactory(UserFactory):
    role = Role.CONSULTANT
    organisation = factory.SubFactory(TrustFactory)
    specialties = factory.LazyFunction(lambda: ["110"])


class CommunityClinicianFactory(UserFactory):
    role = Role.COMMUNITY_CLINICIAN
    organisation = factory.SubFactory(CommunityProviderFactory)


class DiagnosticsStaffFactory(UserFactory):
    role = Role.DIAGNOSTICS_STAFF
    organisation = factory.SubFactory(DiagnosticHubFactory)


class ManagerFactory(UserFactory):
    role = Role.MANAGER
    organisation = factory.SubFactory(IcbFactory)


class PatientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Patient

    nhs_number = factory.Sequence(synthetic_nhs_number)
    family_name = factory.Faker("last_name")
    given_name = factory.Faker("first_name")
    date_of_birth = factory.Faker("date_of_birth", minimum_age=18, maximum_age=95)
    registered_practice = factory.SubFactory(PracticeFactory)


class AuditEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuditEvent

    user = factory.SubFactory(GPFactory)
    patient = factory.SubFactory(PatientFactory)
    action = "view"
    client = "browser"
    object_type = "patient"


def today() -> datetime.date:
    return timezone.localdate()
