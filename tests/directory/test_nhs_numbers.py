"""NHS numbers: 10 digits with a Modulus 11 check digit; typed with spaces or dashes."""

import pytest
from django.core.exceptions import ValidationError

from audit.services import COMMAND_CONTEXT
from core.errors import ApplicationError
from directory.models import Patient
from directory.services import patient_create
from directory.validators import normalise_nhs_number, validate_nhs_number
from directory.web.forms import PatientSearchForm
from tests.factories import PracticeFactory


@pytest.mark.parametrize("typed", ["9434765919", "943 476 5919", "943-476-5919"])
def test_valid_nhs_number_is_accepted_in_the_usual_formats(typed):
    validate_nhs_number(typed)
    assert normalise_nhs_number(typed) == "9434765919"


def test_wrong_check_digit_is_rejected_with_a_clear_message():
    with pytest.raises(ValidationError, match="check digit"):
        validate_nhs_number("9434765918")


def test_wrong_length_is_rejected():
    with pytest.raises(ValidationError, match="10 digits"):
        validate_nhs_number("943476591")


@pytest.mark.django_db
def test_model_validation_names_the_nhs_number_field():
    patient = Patient(
        nhs_number="9434765918",
        family_name="Smith",
        given_name="Ann",
        date_of_birth="1950-01-01",
        registered_practice=PracticeFactory(),
    )
    with pytest.raises(ValidationError) as caught:
        patient.full_clean()
    assert "nhs_number" in caught.value.message_dict


@pytest.mark.django_db
def test_patient_create_names_the_field_and_saves_nothing():
    with pytest.raises(ApplicationError) as caught:
        patient_create(
            actor=None,
            context=COMMAND_CONTEXT,
            nhs_number="943 476 5918",
            family_name="Smith",
            given_name="Ann",
            date_of_birth="1950-01-01",
            registered_practice=PracticeFactory(),
        )
    assert "nhs_number" in caught.value.field_errors
    assert not Patient.objects.exists()


@pytest.mark.django_db
def test_patient_create_stores_digits_only():
    patient = patient_create(
        actor=None,
        context=COMMAND_CONTEXT,
        nhs_number="943-476-5919",
        family_name="Smith",
        given_name="Ann",
        date_of_birth="1950-01-01",
        registered_practice=PracticeFactory(),
    )
    assert patient.nhs_number == "9434765919"


def test_search_form_error_names_the_nhs_number_field():
    form = PatientSearchForm({"nhs_number": "943 476 5918"})
    assert not form.is_valid()
    assert "check digit" in form.errors["nhs_number"][0]


@pytest.mark.django_db
def test_browser_search_shows_the_nhs_number_error(client):
    from tests.factories import GPFactory

    client.force_login(GPFactory())
    response = client.get("/patients/", {"nhs_number": "943 476 5918"})
    assert "NHS number: This NHS number" in response.content.decode()
