"""The clock start rule (docs/product.md §2), in the service every way of referring calls."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from audit.services import COMMAND_CONTEXT
from core.errors import ApplicationError
from tests.factories import GPFactory, PatientFactory, TrustFactory
from tests.triage.factories import treatment_function
from triage.models import Referral
from triage.rules import clock_start_errors
from triage.services.referrals import referral_create

TODAY = date(2026, 3, 31)


@pytest.mark.parametrize(
    ("clock_start", "date_of_birth", "problem"),
    [
        (date(2026, 4, 1), None, "clock start 01 Apr 2026 is in the future"),
        (date(1, 1, 1), None, "clock start 01 Jan 0001 is before 01 Jan 1900"),
        (date(1899, 12, 31), date(1850, 1, 1), "clock start 31 Dec 1899 is before 01 Jan 1900"),
        (
            date(1990, 5, 1),
            date(1990, 5, 2),
            "clock start 01 May 1990 is before the patient's date of birth (02 May 1990)",
        ),
    ],
)
def test_a_clock_start_outside_the_patients_life_is_refused(clock_start, date_of_birth, problem):
    errors = clock_start_errors(clock_start=clock_start, date_of_birth=date_of_birth, today=TODAY)
    assert errors == [problem]


@pytest.mark.parametrize(
    ("clock_start", "date_of_birth"),
    [(TODAY, None), (date(1900, 1, 1), None), (date(1990, 5, 2), date(1990, 5, 2))],
)
def test_a_clock_start_from_birth_or_1900_up_to_today_is_allowed(clock_start, date_of_birth):
    assert (
        clock_start_errors(clock_start=clock_start, date_of_birth=date_of_birth, today=TODAY) == []
    )


@pytest.mark.django_db
def test_referral_create_refuses_a_clock_start_before_the_patients_birth():
    gp = GPFactory()
    patient = PatientFactory(
        registered_practice=gp.organisation,
        date_of_birth=timezone.localdate() - timedelta(days=10),
    )
    with pytest.raises(ApplicationError) as caught:
        referral_create(
            actor=gp,
            context=COMMAND_CONTEXT,
            patient=patient,
            referring_practice=gp.organisation,
            referring_clinician=gp,
            provider=TrustFactory(),
            treatment_function=treatment_function("110"),
            priority="routine",
            clock_start=patient.date_of_birth - timedelta(days=1),
            ubrn="123456789012",
        )
    assert list(caught.value.field_errors) == ["clock_start"]
    assert "before the patient's date of birth" in caught.value.field_errors["clock_start"][0]
    assert not Referral.objects.exists()
