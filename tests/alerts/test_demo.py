"""The demo's alerts: every demo user finds something in their inbox; loading again adds none."""

import io

import pytest
from django.core.management import call_command

from alerts.models import Alert
from alerts.selectors import alerts_visible_to, unread_alert_count
from directory.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("seed_demo", referrals=150, no_progress=True, stdout=io.StringIO())


def test_every_demo_role_has_an_alert_in_their_inbox(demo):
    for username in ("gp", "consultant", "community", "diagnostics", "manager", "admin"):
        user = User.objects.get(username=username)
        assert alerts_visible_to(user).exists(), username


def test_one_of_the_gps_demo_alerts_is_already_read(demo):
    gp = User.objects.get(username="gp")
    assert alerts_visible_to(gp).filter(read_at__isnull=False).count() == 1
    assert unread_alert_count(gp) == alerts_visible_to(gp).count() - 1


def test_loading_the_demo_again_raises_no_alert_twice(demo):
    before = Alert.objects.count()
    out = io.StringIO()
    call_command("seed_demo", referrals=150, no_progress=True, stdout=out)
    assert Alert.objects.count() == before
    assert "Demo alerts already loaded" in out.getvalue()
