"""Managers' pages carry no patient identifier: no NHS number, name, date of birth, UBRN or free
text (docs/product.md §1), on the queue, the deferred list and a panel's page."""

import datetime

import pytest
from django.utils import timezone

from tests.factories import ConsultantFactory, ManagerFactory
from tests.helpers import signed_in
from tests.triage.factories import ReviewPanelFactory
from tests.triage.manager_surfaces import identifiable_referral, leaked

pytestmark = pytest.mark.django_db


def page(client, referral, url) -> str:
    signed_in(client, ManagerFactory(organisation=referral.provider.icb))
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert str(referral.uuid) in body  # the row is there, and anonymous
    return body


def test_manager_queue_page_shows_no_identifier(client):
    referral = identifiable_referral()
    assert leaked(page(client, referral, "/triage/queue/"), referral) == []


def test_manager_deferred_page_shows_no_identifier(client):
    referral = identifiable_referral(
        status="accepted",
        category="P5",
        deferred=True,
        contact_on=timezone.localdate() + datetime.timedelta(days=30),
    )
    assert leaked(page(client, referral, "/triage/deferred/"), referral) == []


def test_manager_panel_page_shows_no_identifier(client):
    panel = ReviewPanelFactory()
    referral = identifiable_referral(provider=panel.provider, panel=panel)
    assert leaked(page(client, referral, f"/triage/panels/{panel.uuid}/"), referral) == []


def test_clinician_queue_page_still_shows_the_ubrn(client):
    referral = identifiable_referral()
    signed_in(client, ConsultantFactory(organisation=referral.provider))
    assert referral.ubrn in client.get("/triage/queue/").content.decode()
