"""``GET obligations/``, ``GET obligations/{id}/`` and ``POST obligations/{id}/fulfil/``."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from contracts.models import ObligationStatus
from tests.contracts.factories import DischargeFactory, ObligationFactory, at_hours_ago
from tests.factories import ConsultantFactory, GPFactory, ManagerFactory, TrustFactory
from tests.helpers import api_client_for

pytestmark = pytest.mark.django_db

LIST = "api-contracts-obligations"


def get(user, query=None):
    return api_client_for(user).get(reverse(LIST), query or {})


def overdue_obligation(**kwargs):
    return ObligationFactory(discharge=DischargeFactory(discharged_at=at_hours_ago(30), **kwargs))


def test_a_row_has_the_fixed_fields():
    obligation = ObligationFactory()
    consultant = ConsultantFactory(organisation=obligation.provider)
    [row] = get(consultant).json()["results"]
    assert set(row) >= {"id", "duty", "provider", "nhs_number", "due_at", "status", "fulfilled_at"}
    assert row["id"] == str(obligation.uuid)
    assert row["nhs_number"] == obligation.patient.nhs_number
    assert row["provider"] == obligation.provider.ods_code


def test_status_is_as_of_now_before_the_sweep_marks_it():
    obligation = overdue_obligation()
    consultant = ConsultantFactory(organisation=obligation.provider)
    assert [r["status"] for r in get(consultant).json()["results"]] == ["overdue"]
    assert get(consultant, {"status": "overdue"}).json()["results"][0]["id"] == str(obligation.uuid)
    assert get(consultant, {"status": "open"}).json()["results"] == []


def test_filters_by_provider_duty_and_nhs_number():
    trust = TrustFactory()
    mine = ObligationFactory(discharge=DischargeFactory(provider=trust))
    ObligationFactory(discharge=DischargeFactory(provider=trust), duty="fit_note")
    consultant = ConsultantFactory(organisation=trust)
    query = {
        "provider": trust.ods_code,
        "duty": "discharge_summary",
        "nhs_number": mine.patient.nhs_number,
    }
    assert [r["id"] for r in get(consultant, query).json()["results"]] == [str(mine.uuid)]


def test_an_invalid_nhs_number_filter_is_400_naming_it():
    response = get(ConsultantFactory(), {"nhs_number": "123"})
    assert response.status_code == 400
    assert "nhs_number" in response.json()


def test_an_invalid_cursor_is_400():
    response = get(ConsultantFactory(), {"cursor": "not-a-cursor"})
    assert response.status_code == 400
    assert "cursor" in response.json()


def test_managers_get_pseudonymised_rows_and_cannot_filter_by_nhs_number():
    obligation = ObligationFactory()
    manager = ManagerFactory(organisation=obligation.provider.icb)
    [row] = get(manager).json()["results"]
    assert row["nhs_number"] is None
    assert row["patient_name"].startswith("PSN-")
    assert get(manager, {"nhs_number": obligation.patient.nhs_number}).json()["results"] == []


def test_each_identifiable_row_listed_is_audited():
    obligation = ObligationFactory()
    consultant = ConsultantFactory(organisation=obligation.provider)
    get(consultant)
    assert AuditEvent.objects.filter(
        user=consultant, patient=obligation.patient, action="list", object_type="obligation"
    ).exists()


def test_the_list_makes_the_same_queries_for_one_row_as_for_many(django_assert_max_num_queries):
    trust = TrustFactory()
    consultant = ConsultantFactory(organisation=trust)
    ObligationFactory(discharge=DischargeFactory(provider=trust))
    client = api_client_for(consultant)
    with django_assert_max_num_queries(12) as one:
        client.get(reverse(LIST))
    for _ in range(10):
        ObligationFactory(discharge=DischargeFactory(provider=trust))
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(reverse(LIST))


def test_detail_is_404_without_a_relationship():
    obligation = ObligationFactory()
    response = api_client_for(GPFactory()).get(
        reverse("api-contracts-obligation-detail", args=[obligation.uuid])
    )
    assert response.status_code == 404


def test_fulfil_with_at_records_met_and_the_time():
    obligation = ObligationFactory(discharge=DischargeFactory(discharged_at=at_hours_ago(30)))
    consultant = ConsultantFactory(organisation=obligation.provider)
    sent = obligation.event_at + timedelta(hours=5)
    response = api_client_for(consultant).post(
        reverse("api-contracts-obligation-fulfil", args=[obligation.uuid]),
        {"at": sent.isoformat(), "note": "Sent by the ward clerk."},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "met"
    obligation.refresh_from_db()
    assert (obligation.status, obligation.fulfilled_at) == (ObligationStatus.MET, sent)


def test_fulfil_in_the_future_is_400_naming_at():
    obligation = ObligationFactory()
    consultant = ConsultantFactory(organisation=obligation.provider)
    later = (timezone.now() + timedelta(hours=1)).isoformat()
    response = api_client_for(consultant).post(
        reverse("api-contracts-obligation-fulfil", args=[obligation.uuid]),
        {"at": later},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["at"] == ["It is in the future."]


def test_fulfil_is_403_for_the_gp_who_sees_it_and_409_when_already_fulfilled():
    obligation = ObligationFactory()
    url = reverse("api-contracts-obligation-fulfil", args=[obligation.uuid])
    gp = GPFactory(organisation=obligation.patient.registered_practice)
    assert api_client_for(gp).post(url, {}, format="json").status_code == 403
    consultant = api_client_for(ConsultantFactory(organisation=obligation.provider))
    assert consultant.post(url, {}, format="json").status_code == 200
    conflict = consultant.post(url, {}, format="json")
    assert conflict.status_code == 409
    assert conflict.json()["current"]["status"] == "met"
