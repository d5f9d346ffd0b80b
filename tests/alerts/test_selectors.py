"""Which alerts a user sees: their own, and their organisation's as a team inbox, except for
managers and administrators, who get only their own (docs/alerts.md)."""

import pytest
from django.http import Http404
from django.utils import timezone

from alerts.rules import UNREAD_COUNT_CAP
from alerts.selectors import alert_get_for_user, alerts_visible_to, unread_alert_count
from directory.models import Role
from tests.alerts.factories import AlertFactory, TeamAlertFactory
from tests.factories import (
    ConsultantFactory,
    GPFactory,
    IcbFactory,
    ManagerFactory,
    TrustFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def visible(user) -> set:
    return set(alerts_visible_to(user).values_list("pk", flat=True))


def test_a_user_sees_their_own_alert_and_not_a_colleagues():
    gp = GPFactory()
    colleague = GPFactory(organisation=gp.organisation)
    mine, theirs = AlertFactory(recipient=gp), AlertFactory(recipient=colleague)
    assert visible(gp) == {mine.pk}
    assert theirs.pk not in visible(gp)


def test_the_staff_of_an_organisation_share_its_team_alerts():
    trust = TrustFactory()
    alert = TeamAlertFactory(organisation=trust)
    first, second = ConsultantFactory(organisation=trust), ConsultantFactory(organisation=trust)
    assert visible(first) == visible(second) == {alert.pk}


def test_another_organisations_team_alert_is_not_seen():
    TeamAlertFactory(organisation=TrustFactory())
    assert visible(ConsultantFactory(organisation=TrustFactory())) == set()


def test_a_manager_sees_their_own_alerts_but_not_their_icbs_team_alerts():
    icb = IcbFactory()
    manager = ManagerFactory(organisation=icb)
    TeamAlertFactory(organisation=icb)
    own = AlertFactory(recipient=manager)
    assert visible(manager) == {own.pk}


def test_an_administrator_employed_by_a_trust_does_not_share_its_team_alerts():
    trust = TrustFactory()
    TeamAlertFactory(organisation=trust)
    admin = UserFactory(role=Role.ADMIN, organisation=trust)
    own = AlertFactory(recipient=admin)
    assert visible(admin) == {own.pk}


def test_the_unread_count_counts_own_and_team_alerts_not_yet_read():
    consultant = ConsultantFactory()
    AlertFactory(recipient=consultant)
    TeamAlertFactory(organisation=consultant.organisation)
    AlertFactory(recipient=consultant, read_at=timezone.now())
    AlertFactory()  # someone else's
    assert unread_alert_count(consultant) == 2


def test_the_unread_count_is_one_query(django_assert_num_queries):
    consultant = ConsultantFactory()
    AlertFactory.create_batch(3, recipient=consultant)
    with django_assert_num_queries(1):
        assert unread_alert_count(consultant) == 3


def test_the_unread_count_stops_at_its_cap():
    gp = GPFactory()
    AlertFactory.create_batch(UNREAD_COUNT_CAP + 2, recipient=gp)
    assert unread_alert_count(gp) == UNREAD_COUNT_CAP


def test_fetching_someone_elses_alert_is_not_found():
    alert = AlertFactory()
    with pytest.raises(Http404):
        alert_get_for_user(user=GPFactory(), alert_uuid=alert.uuid)


def test_fetching_a_team_alert_as_one_of_its_staff_finds_it():
    alert = TeamAlertFactory()
    consultant = ConsultantFactory(organisation=alert.organisation)
    assert alert_get_for_user(user=consultant, alert_uuid=alert.uuid) == alert
