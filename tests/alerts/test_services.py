"""Marking alerts read (one, or a whole inbox) and choosing how alerts are emailed."""

from datetime import timedelta

import pytest
from django.utils import timezone

from alerts.models import Alert, AlertPreference, EmailMode
from alerts.selectors import alert_preference_for, unread_alert_count
from alerts.services import alert_mark_read, alert_preference_set, alerts_mark_all_read
from audit.models import AuditAction, AuditEvent
from audit.services import COMMAND_CONTEXT
from core.errors import ApplicationError
from tests.alerts.factories import AlertFactory, TeamAlertFactory
from tests.factories import ConsultantFactory, GPFactory, PatientFactory

pytestmark = pytest.mark.django_db


def mark(alert, user):
    return alert_mark_read(alert=alert, actor=user, context=COMMAND_CONTEXT)


def test_marking_an_alert_read_records_when_and_by_whom():
    alert = AlertFactory()
    mark(alert, alert.recipient)
    alert.refresh_from_db()
    assert alert.read_at is not None
    assert alert.read_by == alert.recipient


def test_a_team_alert_read_by_one_of_the_staff_is_read_for_all():
    alert = TeamAlertFactory()
    reader = ConsultantFactory(organisation=alert.organisation)
    colleague = ConsultantFactory(organisation=alert.organisation)
    mark(alert, reader)
    assert unread_alert_count(colleague) == 0


def test_marking_an_alert_read_again_keeps_the_first_reader():
    alert = TeamAlertFactory()
    first = ConsultantFactory(organisation=alert.organisation)
    second = ConsultantFactory(organisation=alert.organisation)
    mark(alert, first)
    read_at = Alert.objects.get(pk=alert.pk).read_at
    mark(alert, second)
    alert.refresh_from_db()
    assert (alert.read_at, alert.read_by) == (read_at, first)


def test_marking_read_an_alert_about_a_patient_is_audited():
    patient = PatientFactory()
    alert = AlertFactory(patient=patient)
    mark(alert, alert.recipient)
    event = AuditEvent.objects.get(patient=patient)
    assert (event.action, event.object_type, event.object_id) == (
        AuditAction.UPDATE,
        "alert",
        str(alert.uuid),
    )


def test_marking_read_an_alert_about_no_patient_writes_no_audit_event():
    alert = AlertFactory()
    mark(alert, alert.recipient)
    assert not AuditEvent.objects.exists()


def test_someone_else_cannot_mark_an_alert_read():
    alert = AlertFactory()
    with pytest.raises(ApplicationError):
        mark(alert, GPFactory())
    alert.refresh_from_db()
    assert alert.read_at is None


def test_mark_all_read_marks_own_and_team_alerts_and_nobody_elses():
    consultant = ConsultantFactory()
    own = AlertFactory(recipient=consultant)
    team = TeamAlertFactory(organisation=consultant.organisation)
    elsewhere = AlertFactory()
    marked = alerts_mark_all_read(actor=consultant, context=COMMAND_CONTEXT)
    assert marked == 2
    assert set(Alert.objects.filter(read_at__isnull=False).values_list("pk", flat=True)) == {
        own.pk,
        team.pk,
    }
    elsewhere.refresh_from_db()
    assert elsewhere.read_at is None


def test_mark_all_read_leaves_alerts_already_read_as_they_were():
    gp = GPFactory()
    earlier = timezone.now() - timedelta(days=1)
    read = AlertFactory(recipient=gp, read_at=earlier, read_by=gp)
    assert alerts_mark_all_read(actor=gp, context=COMMAND_CONTEXT) == 0
    read.refresh_from_db()
    assert read.read_at == earlier


def test_mark_all_read_audits_each_alert_about_a_patient():
    gp = GPFactory()
    patients = PatientFactory.create_batch(2)
    for patient in patients:
        AlertFactory(recipient=gp, patient=patient)
    AlertFactory(recipient=gp)
    alerts_mark_all_read(actor=gp, context=COMMAND_CONTEXT)
    assert set(AuditEvent.objects.values_list("patient_id", flat=True)) == {p.pk for p in patients}


def test_without_a_choice_a_user_is_emailed_each_alert():
    assert alert_preference_for(GPFactory()).email_mode == EmailMode.IMMEDIATE


def test_choosing_the_digest_starts_it_from_now():
    gp = GPFactory()
    before = timezone.now()
    preference = alert_preference_set(actor=gp, email_mode="digest")
    assert preference.email_mode == EmailMode.DIGEST
    assert preference.digest_through >= before


def test_changing_the_choice_keeps_one_preference_per_user():
    gp = GPFactory()
    alert_preference_set(actor=gp, email_mode="digest")
    alert_preference_set(actor=gp, email_mode="none")
    assert list(AlertPreference.objects.values_list("user_id", "email_mode")) == [
        (gp.pk, EmailMode.NONE)
    ]


def test_choosing_the_same_again_changes_nothing():
    gp = GPFactory()
    first = alert_preference_set(actor=gp, email_mode="digest")
    again = alert_preference_set(actor=gp, email_mode="digest")
    assert (again.digest_through, again.updated_at) == (first.digest_through, first.updated_at)


def test_an_unknown_choice_is_refused_naming_the_field():
    with pytest.raises(ApplicationError) as refused:
        alert_preference_set(actor=GPFactory(), email_mode="weekly")
    assert "email_mode" in refused.value.field_errors
    assert not AlertPreference.objects.exists()
