"""The inbox, marking read, the preferences page and the header's unread count."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alerts.models import Alert, AlertPreference, EmailMode
from tests.alerts.factories import AlertFactory, TeamAlertFactory
from tests.factories import ConsultantFactory, GPFactory, ManagerFactory
from tests.helpers import signed_in

pytestmark = pytest.mark.django_db
INBOX = "/alerts/"


def header_count(body: str) -> str | None:
    found = re.search(r'data-testid="header-alerts-count">([^<]+)<', body)
    return found.group(1) if found else None


@pytest.fixture
def gp(client):
    return signed_in(client, GPFactory())


def test_the_inbox_lists_the_users_alerts_newest_first(client, gp):
    older = AlertFactory(recipient=gp, created_at=timezone.now() - timedelta(hours=2))
    newer = AlertFactory(recipient=gp)
    body = client.get(INBOX).content.decode()
    assert body.index(str(newer.uuid)) < body.index(str(older.uuid))


def test_the_inbox_marks_unread_alerts(client, gp):
    AlertFactory(recipient=gp)
    AlertFactory(recipient=gp, read_at=timezone.now(), read_by=gp)
    body = client.get(INBOX).content.decode()
    assert body.count('data-testid="alert-unread"') == 1


def test_the_unread_filter_shows_unread_alerts_only(client, gp):
    unread = AlertFactory(recipient=gp)
    read = AlertFactory(recipient=gp, read_at=timezone.now())
    body = client.get(INBOX, {"unread": "true"}).content.decode()
    assert str(unread.uuid) in body and str(read.uuid) not in body


def test_a_filter_value_that_is_not_true_or_false_is_a_400(client, gp):
    response = client.get(INBOX, {"unread": "maybe"})
    assert response.status_code == 400
    assert "Choose all alerts or unread alerts only." in response.content.decode()


def test_a_tampered_cursor_is_a_400_saying_so(client, gp):
    response = client.get(INBOX, {"cursor": "bm90LWEtY3Vyc29y"})
    assert response.status_code == 400
    assert "Invalid cursor." in response.content.decode()


def test_the_inbox_pages_with_a_next_link_that_keeps_the_filter(client, gp):
    AlertFactory.create_batch(51, recipient=gp)
    body = client.get(INBOX, {"unread": "true"}).content.decode()
    next_link = re.search(r'href="(\?[^"]*)" rel="next"', body).group(1).replace("&amp;", "&")
    assert "unread=true" in next_link
    second = client.get(INBOX + next_link).content.decode()
    assert second.count('data-testid="alert"') == 1


def test_a_team_alert_says_whose_team_it_is_for(client):
    consultant = signed_in(client, ConsultantFactory())
    TeamAlertFactory(organisation=consultant.organisation)
    body = client.get(INBOX).content.decode()
    assert f"{consultant.organisation.name} (team)" in body


def test_marking_an_alert_read_returns_to_the_inbox_page_it_came_from(client, gp):
    alert = AlertFactory(recipient=gp)
    response = client.post(f"/alerts/{alert.uuid}/read/", {"next": "/alerts/?unread=true"})
    assert response.status_code == 302 and response["Location"] == "/alerts/?unread=true"
    assert Alert.objects.get(pk=alert.pk).read_by == gp


def test_marking_read_never_returns_anywhere_but_the_inbox(client, gp):
    alert = AlertFactory(recipient=gp)
    response = client.post(f"/alerts/{alert.uuid}/read/", {"next": "https://evil.example/"})
    assert response["Location"] == INBOX


def test_marking_someone_elses_alert_read_is_not_found_and_changes_nothing(client, gp):
    alert = AlertFactory()
    assert client.post(f"/alerts/{alert.uuid}/read/").status_code == 404
    assert Alert.objects.get(pk=alert.pk).read_at is None


def test_marking_read_needs_a_post(client, gp):
    alert = AlertFactory(recipient=gp)
    assert client.get(f"/alerts/{alert.uuid}/read/").status_code == 405


def test_mark_all_read_clears_the_inbox_and_says_how_many(client, gp):
    AlertFactory.create_batch(2, recipient=gp)
    response = client.post("/alerts/read-all/", follow=True)
    body = response.content.decode()
    assert "2 alerts marked as read." in body
    assert not Alert.objects.filter(read_at__isnull=True).exists()


def test_the_header_shows_the_unread_count_on_every_page(client, gp):
    AlertFactory.create_batch(3, recipient=gp)
    for path in ("/", "/patients/", INBOX):
        assert header_count(client.get(path).content.decode()) == "3", path


def test_the_header_shows_no_count_when_nothing_is_unread(client, gp):
    body = client.get("/").content.decode()
    assert 'data-testid="header-alerts"' in body
    assert header_count(body) is None


def test_a_page_counts_the_unread_alerts_once(client, gp):
    AlertFactory(recipient=gp)
    with CaptureQueriesContext(connection) as captured:
        client.get(INBOX)
    counts = [
        q
        for q in captured.captured_queries
        if "COUNT(*)" in q["sql"] and "alerts_alert" in q["sql"]
    ]
    assert len(counts) == 1


def test_every_signed_in_role_has_the_alerts_navigation_entry(client):
    signed_in(client, ManagerFactory())
    body = client.get("/").content.decode()
    assert re.search(r'class="nhsuk-header__navigation-link" href="/alerts/"', body)


def test_the_preferences_page_shows_the_current_choice(client, gp):
    body = client.get("/alerts/preferences/").content.decode()
    assert re.search(r'value="immediate" checked', body)


def test_saving_a_preference_keeps_it(client, gp):
    response = client.post("/alerts/preferences/", {"email_mode": "digest"}, follow=True)
    assert "Your email preference is saved." in response.content.decode()
    assert AlertPreference.objects.get(user=gp).email_mode == EmailMode.DIGEST


def test_saving_no_choice_is_an_error_naming_the_field(client, gp):
    response = client.post("/alerts/preferences/", {})
    body = response.content.decode()
    assert response.status_code == 400
    assert "Choose how we should email you." in body
    assert not AlertPreference.objects.exists()


def test_the_preferences_page_says_when_no_email_address_is_held(client):
    signed_in(client, GPFactory(email=""))
    body = client.get("/alerts/preferences/").content.decode()
    assert 'data-testid="no-email-address"' in body
