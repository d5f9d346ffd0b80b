"""The queue and deferred pages: order, filters, paging, who sees what, audit."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from audit.models import AuditEvent
from core.pseudonyms import patient_pseudonym
from tests.factories import ConsultantFactory, GPFactory, ManagerFactory, TrustFactory
from tests.helpers import signed_in
from tests.triage.factories import ReferralFactory, ReviewPanelFactory, treatment_function
from triage.services.queue import queue_recompute
from triage.web.views import shared

pytestmark = pytest.mark.django_db


QUEUE = "/triage/queue/"
LONDON = ZoneInfo("Europe/London")


def days_ago(n):
    return timezone.localdate() - timedelta(days=n)


def listed(response) -> list[str]:
    return re.findall(r'data-referral="([0-9a-f-]+)"', response.content.decode())


@pytest.fixture
def trust():
    return TrustFactory()


@pytest.fixture
def consultant(client, trust):
    return signed_in(client, ConsultantFactory(organisation=trust))


def test_queue_shows_earliest_target_first_then_most_urgent(client, trust, consultant):
    routine = ReferralFactory(provider=trust, priority="routine", clock_start=days_ago(100))
    urgent = ReferralFactory(provider=trust, priority="urgent", clock_start=days_ago(18))
    two_week_wait = ReferralFactory(
        provider=trust, priority="two_week_wait", clock_start=days_ago(4)
    )
    most_overdue = ReferralFactory(provider=trust, priority="urgent", clock_start=days_ago(24))
    # Targets in days from today: +4 (P2), +10 (2WW), +10 (P2), +26 (P4); 2WW wins the tie.
    assert listed(client.get(QUEUE)) == [
        str(most_overdue.uuid),
        str(two_week_wait.uuid),
        str(urgent.uuid),
        str(routine.uuid),
    ]


def test_queue_filters_by_category(client, trust, consultant):
    urgent = ReferralFactory(provider=trust, priority="urgent")
    ReferralFactory(provider=trust, priority="routine")
    assert listed(client.get(QUEUE, {"category": "P2"})) == [str(urgent.uuid)]


def test_queue_filters_reviewed_referrals(client, trust, consultant):
    reviewed = ReferralFactory(provider=trust, category="P3", status="accepted")
    ReferralFactory(provider=trust)
    assert listed(client.get(QUEUE, {"reviewed": "true"})) == [str(reviewed.uuid)]


def test_queue_filters_breached_referrals(client, trust, consultant):
    breached = ReferralFactory(provider=trust, clock_start=days_ago(200))
    ReferralFactory(provider=trust, clock_start=days_ago(5))
    assert listed(client.get(QUEUE, {"breached": "true"})) == [str(breached.uuid)]


def test_filter_pickers_keep_the_chosen_values_selected(client, trust, consultant):
    html = client.get(QUEUE, {"treatment_function": "120", "breached": "true"}).content.decode()
    assert '<option value="120" selected>120 Ear Nose and Throat</option>' in html
    assert '<option value="true" selected>Yes</option>' in html
    assert '<option value="110">110 Trauma and Orthopaedics</option>' in html


def test_panel_picker_lists_only_the_panels_the_user_may_see(client, trust, consultant):
    ours = ReviewPanelFactory(provider=trust, name="Our hip panel")
    ReviewPanelFactory(name="Another trust's panel")
    html = client.get(QUEUE).content.decode()
    assert f'<option value="{ours.uuid}">Our hip panel</option>' in html
    assert "Another trust&#x27;s panel" not in html


def test_invalid_filter_is_shown_as_an_error_and_lists_nothing(client, trust, consultant):
    ReferralFactory(provider=trust)
    response = client.get(QUEUE, {"category": "P9"})
    assert "There is a problem" in response.content.decode()
    assert listed(response) == []


def test_next_link_carries_the_cursor_and_keeps_the_filters(client, trust, consultant, monkeypatch):
    monkeypatch.setattr(shared, "PAGE_SIZE", 2)
    referrals = [
        ReferralFactory(provider=trust, priority="routine", clock_start=days_ago(30 - i))
        for i in range(3)
    ]
    first = client.get(QUEUE, {"category": "P4"})
    next_href = re.search(r'href="(\?[^"]*cursor=[^"]+)" rel="next"', first.content.decode())
    assert "category=P4" in next_href.group(1)
    second = client.get(QUEUE + next_href.group(1).replace("&amp;", "&"))
    assert (listed(first), listed(second)) == (
        [str(r.uuid) for r in referrals[:2]],
        [str(referrals[2].uuid)],
    )


def test_invalid_cursor_is_a_bad_request(client, consultant):
    response = client.get(QUEUE, {"cursor": "not-a-cursor"})
    assert response.status_code == 400


def test_gp_of_another_practice_sees_none_of_the_queue(client):
    ReferralFactory()
    client.force_login(GPFactory())
    assert listed(client.get(QUEUE)) == []


def test_gp_sees_their_practices_referrals_with_links(client):
    referral = ReferralFactory()
    client.force_login(GPFactory(organisation=referral.referring_practice))
    response = client.get(QUEUE)
    assert f"/triage/referrals/{referral.uuid}/" in response.content.decode()


def test_manager_sees_pseudonymised_rows_without_names_nhs_numbers_or_links(client, trust):
    referral = ReferralFactory(provider=trust)
    client.force_login(ManagerFactory(organisation=trust.icb))
    body = client.get(QUEUE).content.decode()
    patient = referral.patient
    assert patient_pseudonym(patient.uuid, f"icb:{trust.icb_id}") in body
    assert patient.family_name.upper() not in body
    assert patient.nhs_number not in body
    assert f"/triage/referrals/{referral.uuid}/" not in body


def test_manager_queue_writes_no_patient_audit_events(client, trust):
    ReferralFactory(provider=trust)
    client.force_login(ManagerFactory(organisation=trust.icb))
    client.get(QUEUE)
    assert not AuditEvent.objects.exists()


def test_queue_page_audits_each_listed_patient(client, trust, consultant):
    referrals = ReferralFactory.create_batch(2, provider=trust)
    client.get(QUEUE)
    events = AuditEvent.objects.filter(user=consultant, action="list", object_type="referral")
    assert sorted(events.values_list("patient_id", flat=True)) == sorted(
        r.patient_id for r in referrals
    )


def test_row_shows_breach_long_wait_and_provisional_category(client, trust, consultant):
    ReferralFactory(provider=trust, priority="routine", clock_start=days_ago(400))
    body = client.get(QUEUE).content.decode()
    assert "Breached" in body
    assert "52+ weeks" in body
    assert "274 days over" in body  # 400 waited minus 126 (P4 target)
    assert "provisional" in body


def test_row_shows_the_target_date_and_the_days_left(client, trust, consultant):
    referral = ReferralFactory(provider=trust, priority="urgent", clock_start=days_ago(27))
    target = referral.clock_start + timedelta(days=28)  # P2: four weeks
    body = client.get(QUEUE).content.decode()
    assert f"{target.day} {target:%b} {target.year}" in body
    assert "1 day left" in body


def test_htmx_filter_request_gets_only_the_results(client, trust, consultant):
    ReferralFactory(provider=trust)
    response = client.get(QUEUE, {"category": "P4"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert 'id="queue-results"' in body
    assert "<html" not in body


def test_deferred_patients_are_listed_apart_from_the_queue(client, trust, consultant):
    waiting = ReferralFactory(
        provider=trust,
        category="P5",
        status="accepted",
        deferred=True,
        contact_on=timezone.localdate() + timedelta(days=60),
    )
    assert listed(client.get(QUEUE)) == []
    response = client.get("/triage/deferred/")
    assert listed(response) == [str(waiting.uuid)]


def test_deferred_list_shows_the_contact_date(client, trust, consultant):
    contact_on = timezone.localdate() + timedelta(days=60)
    ReferralFactory(
        provider=trust, category="P6", status="accepted", deferred=True, contact_on=contact_on
    )
    body = client.get("/triage/deferred/").content.decode()
    assert f"{contact_on.day} {contact_on:%b} {contact_on.year}" in body


def test_patient_names_in_rows_are_escaped(client, trust, consultant):
    ReferralFactory(provider=trust, patient__family_name="<script>alert(1)</script>")
    body = client.get(QUEUE).content.decode()
    assert "<script>alert(1)</script>" not in body.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body.lower()


def category_cells(body: str) -> list[str]:
    return re.findall(r'<td class="nhsuk-table__cell"><strong>([^<]+)</strong>', body)


def test_deferred_list_shows_p5_not_the_category_of_the_gps_priority(client, trust, consultant):
    ReferralFactory(
        provider=trust,
        priority="urgent",
        category="P5",
        status="accepted",
        deferred=True,
        contact_on=timezone.localdate() + timedelta(days=60),
    )
    body = client.get("/triage/deferred/").content.decode()
    assert category_cells(body) == ["P5 – patient chose to wait (Covid concern)"]


def weeks_cell(body: str) -> str:
    row = re.search(r'data-testid="queue-row".*?</tr>', body, re.S).group(0)
    return re.findall(r'app-numeric">(\d+)', row)[-1]


def test_queue_and_referral_page_show_the_same_completed_weeks(client, trust, consultant):
    # 902 days: 128 completed weeks, which rounding to nearest made 129 on the referral page.
    referral = ReferralFactory(provider=trust, clock_start=days_ago(902))
    queue_weeks = weeks_cell(client.get(QUEUE).content.decode())
    detail = client.get(f"/triage/referrals/{referral.uuid}/").content.decode()
    assert (queue_weeks, "(128 completed weeks)" in detail) == ("128", True)


def test_position_column_says_it_is_the_position_in_the_referrals_own_service(
    client, trust, consultant
):
    ReferralFactory(provider=trust)
    body = client.get(QUEUE).content.decode()
    assert re.search(r"Position in service<span class=\"nhsuk-u-visually-hidden\">", body)


def test_queue_total_is_read_from_the_backlog_summary_with_its_time(client, trust, consultant):
    ReferralFactory.create_batch(3, provider=trust)
    with time_machine.travel(datetime(2026, 3, 2, 2, 0, tzinfo=LONDON), tick=False):
        queue_recompute()
    ReferralFactory(provider=trust)  # not yet recomputed: the total is the summary's, not a COUNT
    with time_machine.travel(datetime(2026, 3, 2, 9, 30, tzinfo=LONDON), tick=False):
        body = client.get(QUEUE).content.decode()
    assert "About 3 referrals in these services, as of 02:00 today." in body


def test_queue_total_follows_the_provider_filter(client, trust, consultant):
    ReferralFactory.create_batch(2, provider=trust)
    ReferralFactory(provider=trust, treatment_function=treatment_function("120"))
    queue_recompute()
    body = client.get(QUEUE, {"treatment_function": "120"}).content.decode()
    assert re.search(r"About 1 referral in these services", body)


def test_a_gp_sees_no_queue_total_their_queue_spans_other_providers(client):
    referral = ReferralFactory()
    queue_recompute()
    client.force_login(GPFactory(organisation=referral.referring_practice))
    assert 'data-testid="queue-total"' not in client.get(QUEUE).content.decode()
