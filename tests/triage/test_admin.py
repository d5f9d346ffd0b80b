"""Triage in the Django admin: read-only, and every read of a referral or an advice request
audited (client "admin"): the list one event per row shown, a record opened one."""

import pytest

from audit.models import AuditEvent
from tests.factories import UserFactory
from tests.helpers import signed_in
from tests.triage.factories import AdviceRequestFactory, ReferralFactory, ReviewPanelFactory

pytestmark = pytest.mark.django_db

REFERRALS = "/admin/triage/referral/"
ADVICE = "/admin/triage/advicerequest/"


@pytest.fixture
def admin_user(client):
    return signed_in(
        client, UserFactory(role="admin", organisation=None, is_staff=True, is_superuser=True)
    )


def events(**filters) -> list[tuple]:
    return sorted(
        AuditEvent.objects.filter(client="admin", **filters).values_list(
            "action", "object_type", "patient_id"
        )
    )


def test_the_admin_index_lists_the_triage_models(client, admin_user):
    body = client.get("/admin/").content.decode()
    assert all(
        f'href="/admin/triage/{name}/"' in body
        for name in ("referral", "advicerequest", "reviewpanel", "treatmentfunction")
    )


def test_the_referral_list_audits_one_list_event_per_row_shown(client, admin_user):
    referrals = ReferralFactory.create_batch(2)
    assert client.get(REFERRALS).status_code == 200
    assert events() == sorted(("list", "referral", r.patient_id) for r in referrals)


def test_opening_a_referral_audits_one_view(client, admin_user):
    referral = ReferralFactory()
    assert client.get(f"{REFERRALS}{referral.pk}/change/").status_code == 200
    assert events() == [("view", "referral", referral.patient_id)]


def test_referrals_cannot_be_added_changed_or_deleted_in_the_admin(client, admin_user):
    referral = ReferralFactory()
    responses = [
        client.get(f"{REFERRALS}add/").status_code,
        client.post(f"{REFERRALS}{referral.pk}/change/", {"status": "cancelled"}).status_code,
        client.get(f"{REFERRALS}{referral.pk}/delete/").status_code,
    ]
    referral.refresh_from_db()
    assert (responses, referral.status) == ([403, 403, 403], "awaiting_review")


def test_the_advice_request_list_and_record_are_audited(client, admin_user):
    advice = AdviceRequestFactory()
    client.get(ADVICE)
    client.get(f"{ADVICE}{advice.pk}/change/")
    assert events(object_type="advice_request") == [
        ("list", "advice_request", advice.patient_id),
        ("view", "advice_request", advice.patient_id),
    ]


def test_review_panels_are_shown_read_only(client, admin_user):
    panel = ReviewPanelFactory()
    assert client.get("/admin/triage/reviewpanel/").status_code == 200
    assert client.get("/admin/triage/reviewpanel/add/").status_code == 403
    assert (
        panel.name in client.get(f"/admin/triage/reviewpanel/{panel.pk}/change/").content.decode()
    )
