"""The referral page and its actions: access, audit, reviews (and the 409 race), pathway."""

from datetime import timedelta

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import COMMAND_CONTEXT
from tests.factories import ConsultantFactory, GPFactory, ManagerFactory
from tests.helpers import signed_in
from tests.triage.factories import ReferralFactory, ReviewPanelFactory
from triage.models import HarmReview, Review
from triage.services.reviews import referral_review

pytestmark = pytest.mark.django_db


def page_url(referral) -> str:
    return f"/triage/referrals/{referral.uuid}/"


def action_url(referral, action) -> str:
    return f"{page_url(referral)}{action}/"


def review_data(referral, **overrides) -> dict:
    data = {
        "review-category": "P2",
        "review-outcome": "accept",
        "review-rationale": "Locking knee: needs assessment within four weeks.",
        "review-version": referral.version,
    }
    data.update(overrides)
    return data


@pytest.fixture
def referral():
    return ReferralFactory()


@pytest.fixture
def consultant(client, referral):
    return signed_in(
        client,
        ConsultantFactory(organisation=referral.provider, first_name="Ravi", last_name="Shah"),
    )


def test_clinician_without_a_relationship_gets_404(client, referral):
    client.force_login(GPFactory())
    assert client.get(page_url(referral)).status_code == 404


def test_manager_gets_404_for_a_referral_of_their_icb(client, referral):
    client.force_login(ManagerFactory(organisation=referral.provider.icb))
    assert client.get(page_url(referral)).status_code == 404


def test_referral_page_shows_patient_link_and_queue_figures(client, referral, consultant):
    body = client.get(page_url(referral)).content.decode()
    assert f"/patients/{referral.patient.uuid}/" in body
    assert referral.patient.full_name in body
    assert "provisional" in body


def test_opening_the_referral_page_is_audited(client, referral, consultant):
    client.get(page_url(referral))
    assert AuditEvent.objects.filter(
        user=consultant, action="view", object_type="referral", patient=referral.patient
    ).exists()


def test_referring_gp_sees_the_referral_without_a_review_form(client, referral):
    client.force_login(GPFactory(organisation=referral.referring_practice))
    body = client.get(page_url(referral)).content.decode()
    assert referral.patient.full_name in body
    assert "Save review" not in body


def test_review_through_the_browser_saves_it(client, referral, consultant):
    response = client.post(action_url(referral, "review"), review_data(referral))
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.category) == ("accepted", "P2")
    assert Review.objects.get().reviewer == consultant


def test_stale_review_gets_409_showing_the_winning_review(client, referral, consultant):
    stale_version = referral.version
    winner = ConsultantFactory(organisation=referral.provider, first_name="Ada", last_name="Okoye")
    referral_review(
        referral=referral,
        reviewer=winner,
        context=COMMAND_CONTEXT,
        category="P3",
        outcome="accept",
        rationale="Stable: routine orthopaedic clinic.",
        version=stale_version,
    )
    response = client.post(
        action_url(referral, "review"), review_data(referral, **{"review-version": stale_version})
    )
    body = response.content.decode()
    assert response.status_code == 409
    assert "Ada Okoye" in body
    assert "Stable: routine orthopaedic clinic." in body
    assert "P3 – within 3 months" in body
    assert Review.objects.count() == 1


def test_review_without_rationale_names_the_field_and_changes_nothing(client, referral, consultant):
    response = client.post(
        action_url(referral, "review"), review_data(referral, **{"review-rationale": ""})
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Clinical rationale: Give the clinical rationale for this review." in body
    referral.refresh_from_db()
    assert (referral.status, referral.category, referral.version) == ("awaiting_review", None, 1)
    assert not Review.objects.exists()


def date_parts(name, day):
    """The three boxes of the NHS date input (triage.web.widgets)."""
    return {f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year}


def test_deferral_with_a_past_contact_date_names_the_contact_date(client, referral, consultant):
    yesterday = timezone.localdate() - timedelta(days=1)
    response = client.post(
        action_url(referral, "review"),
        review_data(
            referral, **{"review-category": "P5", **date_parts("review-contact_on", yesterday)}
        ),
    )
    assert response.status_code == 400
    assert "Date to contact the patient again: The contact date must be in the future." in (
        response.content.decode()
    )


def test_gp_may_not_post_a_review(client, referral):
    client.force_login(GPFactory(organisation=referral.referring_practice))
    response = client.post(action_url(referral, "review"), review_data(referral))
    assert response.status_code == 403
    assert not Review.objects.exists()


def test_booking_an_accepted_referral(client, consultant):
    referral = ReferralFactory(provider=consultant.organisation, status="accepted")
    day = timezone.localdate() + timedelta(days=14)
    response = client.post(action_url(referral, "book"), date_parts("book-appointment_on", day))
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.appointment_on) == ("booked", day)


def test_recording_a_dna_returns_the_referral_for_rebooking(client, consultant):
    referral = ReferralFactory(
        provider=consultant.organisation, status="booked", appointments_booked=1
    )
    client.post(action_url(referral, "dna"))
    referral.refresh_from_db()
    assert (referral.status, referral.awaiting_rebook) == ("accepted", True)


def test_cancelling_without_a_reason_names_the_reason(client, referral, consultant):
    response = client.post(action_url(referral, "cancel"), {"cancel-reason": ""})
    assert "Reason for cancelling: Say why." in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == "awaiting_review"


def test_discharging_stops_the_clock(client, referral, consultant):
    client.post(action_url(referral, "stop-clock"), {"stop-clock-outcome": "discharged"})
    referral.refresh_from_db()
    assert (referral.status, referral.clock_stopped_on) == ("discharged", timezone.localdate())


def test_assigning_the_referral_to_a_panel(client, referral, consultant):
    panel = ReviewPanelFactory(provider=referral.provider)
    client.post(action_url(referral, "assign-panel"), {"assign-panel-panel": str(panel.uuid)})
    referral.refresh_from_db()
    assert referral.panel == panel


def test_harm_review_is_recorded(client, referral, consultant):
    client.post(
        action_url(referral, "harm-review"),
        {"harm-review-outcome": "no_harm", "harm-review-notes": "Seen by phone: unchanged."},
    )
    assert HarmReview.objects.get().referral == referral


def test_patient_page_lists_the_referrals_the_user_may_see(client, referral, consultant):
    elsewhere = ReferralFactory(patient=referral.patient)
    body = client.get(f"/patients/{referral.patient.uuid}/").content.decode()
    assert f"/triage/referrals/{referral.uuid}/" in body
    assert f"/triage/referrals/{elsewhere.uuid}/" not in body
