"""Refused requests leave a trace: a signed-in user's 404s and 403s, from the pages, the API
and the admin, each one audit event "refused" naming the route and the id asked for, and no
patient (docs/product.md §1)."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from audit.models import AuditEvent
from tests.factories import ConsultantFactory, GPFactory, UserFactory
from tests.helpers import api_client_for, signed_in
from tests.triage.factories import ReferralFactory

pytestmark = pytest.mark.django_db

FIELDS = ("user_id", "client", "object_type", "object_id", "patient_id")


def refused() -> list[tuple]:
    return list(AuditEvent.objects.filter(action="refused").order_by("id").values_list(*FIELDS))


def test_a_page_for_a_record_the_user_may_not_see_is_recorded_as_refused(client):
    gp = signed_in(client, GPFactory())
    referral = ReferralFactory()  # a patient of another practice
    response = client.get(reverse("triage:referral-detail", args=[referral.uuid]))
    assert response.status_code == 404
    assert refused() == [(gp.pk, "browser", "referral-detail", str(referral.uuid), None)]


def test_a_page_for_a_record_that_does_not_exist_is_recorded_as_refused(client):
    gp = signed_in(client, GPFactory())
    asked = uuid.uuid4()
    assert client.get(reverse("triage:referral-detail", args=[asked])).status_code == 404
    assert refused() == [(gp.pk, "browser", "referral-detail", str(asked), None)]


def test_a_page_refused_with_403_is_recorded_as_refused(client):
    gp = signed_in(client, GPFactory())
    assert client.get(reverse("audit-events")).status_code == 403
    assert refused() == [(gp.pk, "browser", "audit-events", "", None)]


def test_an_api_record_the_user_may_not_see_is_recorded_once_as_refused():
    gp = GPFactory()
    referral = ReferralFactory()
    response = api_client_for(gp).get(reverse("api-referral-detail", args=[referral.uuid]))
    assert response.status_code == 404
    assert refused() == [(gp.pk, "api", "api-referral-detail", str(referral.uuid), None)]


def test_an_api_request_refused_with_403_is_recorded_as_refused():
    consultant = ConsultantFactory()
    response = api_client_for(consultant).post(reverse("api-referral-list"), {}, format="json")
    assert response.status_code == 403
    assert refused() == [(consultant.pk, "api", "api-referral-list", "", None)]


def test_anonymous_refusals_are_not_recorded(client):
    referral = ReferralFactory()
    APIClient().get(reverse("api-referral-detail", args=[referral.uuid]))
    client.get(reverse("triage:referral-detail", args=[referral.uuid]))
    client.get(reverse("audit-events"))
    assert refused() == []


@pytest.mark.urls("tests.audit.refusal_urls")
def test_a_page_answering_404_without_raising_is_recorded_as_refused(client):
    gp = signed_in(client, GPFactory())
    asked = uuid.uuid4()
    assert client.get(f"/test/records/{asked}/").status_code == 404
    assert client.get(f"/test/forbidden/{asked}/").status_code == 403
    assert refused() == [
        (gp.pk, "browser", "test-record", str(asked), None),
        (gp.pk, "browser", "test-forbidden", str(asked), None),
    ]


@pytest.mark.urls("tests.audit.refusal_urls")
def test_an_api_view_answering_404_without_raising_is_recorded_as_an_api_refusal():
    gp = GPFactory()
    asked = uuid.uuid4()
    assert api_client_for(gp).get(f"/api/test/records/{asked}/").status_code == 404
    assert refused() == [(gp.pk, "api", "api-test", str(asked), None)]


def test_an_admin_refusal_is_recorded_with_the_admin_client(client):
    admin_user = signed_in(
        client, UserFactory(role="admin", organisation=None, is_staff=True, is_superuser=True)
    )
    response = client.get(
        "/admin/autocomplete/",
        {"app_label": "audit", "model_name": "auditevent", "field_name": "patient", "term": "9"},
    )
    assert response.status_code == 403
    assert refused() == [(admin_user.pk, "admin", "autocomplete", "", None)]


def test_a_refusal_behind_the_trusted_proxy_records_the_client_address(client, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.2"]
    signed_in(client, GPFactory())
    client.get(
        reverse("triage:referral-detail", args=[uuid.uuid4()]),
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="192.0.2.66, 198.51.100.1",
    )
    assert AuditEvent.objects.get(action="refused").ip_address == "198.51.100.1"
