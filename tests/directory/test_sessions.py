"""Idle session timeout: a session unused for SESSION_IDLE_TIMEOUT seconds is signed out; the
last-activity time is written at most once a minute, so a busy page does not write the session
on every request."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

from tests.factories import GPFactory
from tests.helpers import signed_in

pytestmark = pytest.mark.django_db

IDLE = timedelta(seconds=settings.SESSION_IDLE_TIMEOUT)


@pytest.fixture
def gp_client(client):
    signed_in(client, GPFactory())
    return client


def test_idle_timeout_defaults_to_thirty_minutes():
    assert settings.SESSION_IDLE_TIMEOUT == 30 * 60


def test_session_idle_for_longer_than_the_timeout_is_signed_out(gp_client):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert gp_client.get("/").status_code == 200
    with time_machine.travel(start + IDLE + timedelta(seconds=61), tick=False):
        response = gp_client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
    assert "_auth_user_id" not in gp_client.session


def test_activity_within_the_timeout_keeps_the_session(gp_client):
    start = timezone.now()
    for step in range(4):
        with time_machine.travel(start + step * (IDLE - timedelta(minutes=2)), tick=False):
            assert gp_client.get("/").status_code == 200


def test_sign_in_page_says_why_the_session_ended(gp_client):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        gp_client.get("/")
    with time_machine.travel(start + IDLE + timedelta(minutes=2), tick=False):
        page = gp_client.get("/", follow=True).content.decode()
    assert "You were signed out after 30 minutes without activity" in page


def test_last_activity_is_written_at_most_once_a_minute(gp_client):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        gp_client.get("/")
    written = gp_client.session["last_activity"]
    with time_machine.travel(start + timedelta(seconds=59), tick=False):
        response = gp_client.get("/")
    assert gp_client.session["last_activity"] == written
    assert settings.SESSION_COOKIE_NAME not in response.cookies  # the session was not saved
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        gp_client.get("/")
    assert gp_client.session["last_activity"] == written + 61


def test_idle_session_is_refused_by_the_api_too(gp_client):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert gp_client.get("/api/v1/patients/").status_code == 200
    with time_machine.travel(start + IDLE + timedelta(minutes=2), tick=False):
        assert gp_client.get("/api/v1/patients/").status_code == 401
