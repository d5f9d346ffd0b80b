"""The daily digest (``alerts.email_digest``): one email a day, at ``ALERTS_DIGEST_HOUR``, to each
user who chose it, listing their unread alerts since the last one."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core import mail

from alerts.models import AlertPreference
from alerts.selectors import DIGEST_LISTED
from alerts.services import alert_preference_set, alerts_email_digest_sweep
from core import sweeps
from tests.alerts.factories import AlertFactory, AlertPreferenceFactory, TeamAlertFactory
from tests.factories import ConsultantFactory, GPFactory

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
LAST_DIGEST = datetime(2026, 11, 30, 7, 2, tzinfo=LONDON)
NEXT_MORNING = datetime(2026, 12, 1, 7, 5, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def _digest_at_seven(settings):
    settings.ALERTS_DIGEST_HOUR = 7


def digest_user(factory=GPFactory, **kwargs):
    user = factory(email="someone@example.nhs.uk", **kwargs)
    AlertPreferenceFactory(user=user, email_mode="digest", digest_through=LAST_DIGEST)
    return user


def at(moment):
    return time_machine.travel(moment, tick=False)


def test_the_digest_lists_the_unread_alerts_raised_since_the_last_one():
    gp = digest_user()
    AlertFactory(
        recipient=gp, subject="Before the last digest", created_at=LAST_DIGEST - timedelta(hours=1)
    )
    AlertFactory(
        recipient=gp, subject="New and unread", created_at=LAST_DIGEST + timedelta(hours=3)
    )
    AlertFactory(
        recipient=gp,
        subject="New but read",
        created_at=LAST_DIGEST + timedelta(hours=4),
        read_at=LAST_DIGEST + timedelta(hours=5),
    )
    with at(NEXT_MORNING):
        assert alerts_email_digest_sweep() == "1 digest(s) due; 1 email(s) sent."
    (message,) = mail.outbox
    assert message.subject == "Interface: 1 unread alert"
    assert "New and unread" in message.body
    assert "Before the last digest" not in message.body
    assert "New but read" not in message.body


def test_the_digest_includes_the_users_team_alerts():
    consultant = digest_user(ConsultantFactory)
    TeamAlertFactory(
        organisation=consultant.organisation,
        subject="For the whole team",
        created_at=LAST_DIGEST + timedelta(hours=1),
    )
    with at(NEXT_MORNING):
        alerts_email_digest_sweep()
    assert "For the whole team (team: " in mail.outbox[0].body


def test_a_second_run_the_same_day_sends_nothing_more():
    gp = digest_user()
    AlertFactory(recipient=gp, created_at=LAST_DIGEST + timedelta(hours=1))
    with at(NEXT_MORNING):
        alerts_email_digest_sweep()
    with at(NEXT_MORNING + timedelta(hours=6)):
        assert alerts_email_digest_sweep() == "0 digest(s) due; 0 email(s) sent."
    assert len(mail.outbox) == 1


def test_before_the_digest_hour_nothing_is_due():
    gp = digest_user()
    AlertFactory(recipient=gp, created_at=LAST_DIGEST + timedelta(hours=1))
    with at(NEXT_MORNING - timedelta(minutes=10)):
        assert alerts_email_digest_sweep().startswith("0 digest(s) due")
    assert mail.outbox == []


def test_a_digest_missed_while_the_workers_were_down_goes_out_at_the_next_run():
    gp = digest_user()
    AlertFactory(recipient=gp, created_at=LAST_DIGEST + timedelta(hours=1))
    with at(NEXT_MORNING + timedelta(hours=9)):
        alerts_email_digest_sweep()
    assert len(mail.outbox) == 1


def test_with_nothing_unread_no_digest_is_sent_but_the_day_is_done():
    gp = digest_user()
    with at(NEXT_MORNING):
        assert alerts_email_digest_sweep() == "1 digest(s) due; 0 email(s) sent."
    assert mail.outbox == []
    assert AlertPreference.objects.get(user=gp).digest_through > LAST_DIGEST


def test_a_long_digest_lists_the_newest_and_says_how_many_more():
    gp = digest_user()
    for hour in range(DIGEST_LISTED + 3):
        AlertFactory(recipient=gp, created_at=LAST_DIGEST + timedelta(minutes=10 + hour))
    with at(NEXT_MORNING):
        alerts_email_digest_sweep()
    body = mail.outbox[0].body
    assert f"You have {DIGEST_LISTED + 3} unread alerts" in body
    assert "…and 3 more." in body


def test_a_digest_user_without_an_email_address_is_skipped_and_not_retried():
    gp = digest_user()
    gp.email = ""
    gp.save(update_fields=["email"])
    AlertFactory(recipient=gp, created_at=LAST_DIGEST + timedelta(hours=1))
    with at(NEXT_MORNING):
        alerts_email_digest_sweep()
        assert alerts_email_digest_sweep().startswith("0 digest(s) due")
    assert mail.outbox == []


def test_users_who_want_each_alert_as_it_comes_get_no_digest():
    gp = GPFactory(email="gp@example.nhs.uk")
    AlertFactory(recipient=gp, created_at=LAST_DIGEST + timedelta(hours=1))
    with at(NEXT_MORNING):
        assert alerts_email_digest_sweep() == "0 digest(s) due; 0 email(s) sent."


def test_the_first_digest_after_choosing_it_lists_only_alerts_raised_since():
    gp = GPFactory(email="gp@example.nhs.uk")
    AlertFactory(recipient=gp, subject="Already emailed", created_at=LAST_DIGEST)
    with at(LAST_DIGEST + timedelta(hours=1)):
        alert_preference_set(actor=gp, email_mode="digest")
    AlertFactory(
        recipient=gp, subject="Since choosing", created_at=LAST_DIGEST + timedelta(hours=2)
    )
    with at(NEXT_MORNING):
        alerts_email_digest_sweep()
    assert "Since choosing" in mail.outbox[0].body
    assert "Already emailed" not in mail.outbox[0].body


def test_both_email_sweeps_are_registered_for_run_sweeps_and_beat():
    assert sweeps.run("alerts.email_immediate") == "0 alert(s) looked at; 0 email(s) sent."
    assert sweeps.run("alerts.email_digest") == "0 digest(s) due; 0 email(s) sent."


def test_beat_runs_each_alert_as_it_comes_every_few_minutes_and_the_digest_check_often():
    schedule = django_settings.CELERY_BEAT_SCHEDULE
    immediate = schedule["sweep-alerts.email_immediate"]["schedule"]
    digest = schedule["sweep-alerts.email_digest"]["schedule"]
    assert immediate.total_seconds() == 5 * 60
    assert digest.total_seconds() <= 60 * 60
