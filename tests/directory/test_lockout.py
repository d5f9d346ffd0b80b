"""Sign-in lockout (django-axes): repeated wrong passwords lock the account, on the site and in
the admin, by account rather than by address (a whole trust may sign in from behind one proxy)."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

from tests.factories import DEFAULT_PASSWORD, GPFactory, UserFactory

pytestmark = pytest.mark.django_db

LOCKED_MESSAGE = "Signing in to this account is paused after too many attempts"


def sign_in(client, username, password, *, address="10.0.0.1", path="/login/"):
    return client.post(
        path, {"username": username, "password": password}, REMOTE_ADDR=address, follow=False
    )


def lockout_text(response) -> str:
    found = re.search(
        r'data-testid="locked-out">(.*?)</div>\s*</div>', response.content.decode(), re.S
    )
    assert found, "no lockout message on the page"
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split())


def fail(client, username, times, **kwargs):
    for _ in range(times):
        response = sign_in(client, username, "wrong-password", **kwargs)
        assert response.status_code in (200, 429)


def test_failure_limit_defaults_to_ten_for_one_account():
    assert settings.AXES_FAILURE_LIMIT == 10
    assert settings.AXES_LOCKOUT_PARAMETERS == ["username"]


def test_right_password_is_refused_once_the_failure_limit_is_reached(client):
    gp = GPFactory()
    fail(client, gp.username, settings.AXES_FAILURE_LIMIT)
    response = sign_in(client, gp.username, DEFAULT_PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_right_password_still_works_below_the_failure_limit(client):
    gp = GPFactory()
    fail(client, gp.username, settings.AXES_FAILURE_LIMIT - 1)
    response = sign_in(client, gp.username, DEFAULT_PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(gp.pk)


def test_lockout_is_by_account_so_a_colleague_behind_the_same_proxy_still_signs_in(client):
    locked, colleague = GPFactory(), GPFactory()
    fail(client, locked.username, settings.AXES_FAILURE_LIMIT, address="10.9.9.9")
    response = sign_in(client, colleague.username, DEFAULT_PASSWORD, address="10.9.9.9")
    assert response.status_code == 302


def test_lockout_follows_the_account_to_another_address(client):
    gp = GPFactory()
    fail(client, gp.username, settings.AXES_FAILURE_LIMIT, address="10.0.0.1")
    assert sign_in(client, gp.username, DEFAULT_PASSWORD, address="10.0.0.2").status_code == 429


def test_locked_sign_in_page_says_so_the_same_way_for_an_unknown_account(client):
    gp = GPFactory()
    fail(client, gp.username, settings.AXES_FAILURE_LIMIT)
    fail(client, "no-such-user", settings.AXES_FAILURE_LIMIT)
    known = sign_in(client, gp.username, DEFAULT_PASSWORD)
    unknown = sign_in(client, "no-such-user", DEFAULT_PASSWORD)
    assert (known.status_code, unknown.status_code) == (429, 429)
    assert lockout_text(known) == lockout_text(unknown)
    assert LOCKED_MESSAGE in lockout_text(known)
    assert "Try again in 30 minutes" in lockout_text(known)
    assert gp.username not in known.content.decode()


def test_account_unlocks_after_the_cool_off(client):
    gp = GPFactory()
    fail(client, gp.username, settings.AXES_FAILURE_LIMIT)
    later = timezone.now() + settings.AXES_COOLOFF_TIME + timedelta(minutes=1)
    with time_machine.travel(later, tick=False):
        assert sign_in(client, gp.username, DEFAULT_PASSWORD).status_code == 302


def test_a_successful_sign_in_clears_earlier_failures(client):
    gp = GPFactory()
    fail(client, gp.username, settings.AXES_FAILURE_LIMIT - 1)
    assert sign_in(client, gp.username, DEFAULT_PASSWORD).status_code == 302
    client.logout()
    fail(client, gp.username, settings.AXES_FAILURE_LIMIT - 1)
    assert sign_in(client, gp.username, DEFAULT_PASSWORD).status_code == 302


def test_admin_sign_in_is_locked_out_too(client):
    admin = UserFactory(role="admin", organisation=None, is_staff=True, is_superuser=True)
    fail(client, admin.username, settings.AXES_FAILURE_LIMIT, path="/admin/login/")
    response = sign_in(client, admin.username, DEFAULT_PASSWORD, path="/admin/login/")
    assert response.status_code == 429
    assert LOCKED_MESSAGE in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_failures_on_the_site_count_towards_the_admin_lockout(client):
    admin = UserFactory(role="admin", organisation=None, is_staff=True, is_superuser=True)
    fail(client, admin.username, settings.AXES_FAILURE_LIMIT)
    response = sign_in(client, admin.username, DEFAULT_PASSWORD, path="/admin/login/")
    assert response.status_code == 429


def test_a_failure_during_the_lockout_starts_the_cool_off_again(client):
    gp = GPFactory()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        fail(client, gp.username, settings.AXES_FAILURE_LIMIT)
    with time_machine.travel(start + settings.AXES_COOLOFF_TIME / 2, tick=False):
        fail(client, gp.username, 1)
    with time_machine.travel(start + settings.AXES_COOLOFF_TIME + timedelta(minutes=1), tick=False):
        assert sign_in(client, gp.username, DEFAULT_PASSWORD).status_code == 429
