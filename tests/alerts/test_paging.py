"""The inbox's keyset pages: newest first, never OFFSET, and a cursor that is not ours is 400."""

from datetime import timedelta

import pytest
from django.utils import timezone

from alerts.selectors import alert_page
from core.errors import ApplicationError
from core.keyset import keyset_encode
from tests.alerts.factories import AlertFactory, TeamAlertFactory
from tests.factories import ConsultantFactory, GPFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def gp_with_five_alerts():
    gp = GPFactory()
    now = timezone.now()
    # Two raised at the same instant: the id breaks the tie.
    times = [now - timedelta(hours=h) for h in (4, 3, 2, 2, 1)]
    alerts = [AlertFactory(recipient=gp, created_at=t) for t in times]
    newest_first = sorted(alerts, key=lambda a: (a.created_at, a.pk), reverse=True)
    return gp, [a.pk for a in newest_first]


def page(user, cursor=None, size=2):
    return alert_page(user=user, cursor=cursor, page_size=size)


def test_pages_run_newest_first_and_cover_every_alert_once(gp_with_five_alerts):
    gp, expected = gp_with_five_alerts
    seen, cursor = [], None
    while True:
        result = page(gp, cursor)
        seen += [a.pk for a in result.rows]
        cursor = result.next_cursor
        if cursor is None:
            break
    assert seen == expected


def test_the_previous_cursor_returns_to_the_page_before(gp_with_five_alerts):
    gp, expected = gp_with_five_alerts
    second = page(gp, page(gp).next_cursor)
    back = page(gp, second.previous_cursor)
    assert [a.pk for a in second.rows] == expected[2:4]
    assert [a.pk for a in back.rows] == expected[:2]
    assert back.previous_cursor is None


def test_a_tampered_cursor_is_refused_naming_the_cursor(gp_with_five_alerts):
    gp, _ = gp_with_five_alerts
    with pytest.raises(ApplicationError) as refused:
        page(gp, "not-a-cursor")
    assert "cursor" in refused.value.field_errors


def test_a_cursor_whose_time_is_not_a_time_is_refused(gp_with_five_alerts):
    gp, _ = gp_with_five_alerts
    with pytest.raises(ApplicationError):
        page(gp, keyset_encode(["yesterday", 1], "n"))


def test_a_cursor_with_a_time_without_its_offset_is_refused(gp_with_five_alerts):
    gp, _ = gp_with_five_alerts
    with pytest.raises(ApplicationError):
        page(gp, keyset_encode(["2026-12-01T10:00:00", 1], "n"))


def test_own_and_team_alerts_interleave_newest_first_across_pages():
    consultant = ConsultantFactory()
    now = timezone.now()
    made = []
    for hour in range(7):
        at = now - timedelta(hours=hour)
        if hour % 2:
            made.append(TeamAlertFactory(organisation=consultant.organisation, created_at=at))
        else:
            made.append(AlertFactory(recipient=consultant, created_at=at))
    AlertFactory(created_at=now)  # someone else's, newest of all
    seen, cursor = [], None
    while True:
        result = page(consultant, cursor, size=3)
        seen += [a.pk for a in result.rows]
        if (cursor := result.next_cursor) is None:
            break
    assert seen == [a.pk for a in made]
