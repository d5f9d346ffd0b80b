import pytest

from tests.factories import GPFactory, PatientFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_gp_signs_in_and_sees_home_page_with_their_role_and_practice(page, sign_in):
    gp = GPFactory(first_name="Asha", last_name="Patel")
    sign_in(gp)
    header = page.get_by_test_id("signed-in-as")
    assert "Asha Patel" in header.inner_text()
    assert "GP" in header.inner_text()
    assert gp.organisation.name in header.inner_text()
    assert page.get_by_role("heading", level=1).inner_text() == "Welcome, Asha Patel"


def test_gp_is_refused_a_patient_registered_elsewhere(page, sign_in):
    gp = GPFactory()
    elsewhere = PatientFactory()
    sign_in(gp)
    response = page.goto(f"/patients/{elsewhere.uuid}/")
    assert response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "Page not found"
    assert elsewhere.family_name.upper() not in page.content()


def test_gp_opens_a_patient_registered_at_their_practice(page, sign_in):
    gp = GPFactory()
    patient = PatientFactory(registered_practice=gp.organisation)
    sign_in(gp)
    page.goto(f"/patients/{patient.uuid}/")
    assert page.get_by_test_id("patient-name").inner_text() == patient.full_name
