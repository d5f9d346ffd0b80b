"""The sweep that emails each alert as it comes (``alerts.email_immediate``)."""

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

from alerts.models import Alert, EmailOutcome
from alerts.services import alerts_email_immediate_sweep
from directory.models import Role
from tests.alerts.factories import AlertFactory, AlertPreferenceFactory, TeamAlertFactory
from tests.factories import ConsultantFactory, GPFactory, PatientFactory, UserFactory

pytestmark = pytest.mark.django_db


class FailingBackend(BaseEmailBackend):
    """A mail server that refuses every message."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("the mail server is down")


def with_email(factory, **kwargs):
    user = factory(**kwargs)
    user.email = f"{user.username}@example.nhs.uk"
    user.save(update_fields=["email"])
    return user


def outcome(alert) -> str:
    return Alert.objects.get(pk=alert.pk).email_outcome


def test_an_alert_is_emailed_to_its_recipient_with_a_link_into_the_app(settings):
    settings.ALERTS_SITE_URL = "https://interface.example.nhs.uk"
    gp = with_email(GPFactory)
    alert = AlertFactory(recipient=gp, subject="A result needs you", link="/triage/queue/")
    assert alerts_email_immediate_sweep() == "1 alert(s) looked at; 1 email(s) sent."
    (message,) = mail.outbox
    assert message.to == [gp.email]
    assert message.subject == "Interface alert: A result needs you"
    assert "https://interface.example.nhs.uk/triage/queue/" in message.body
    assert outcome(alert) == EmailOutcome.SENT


def test_an_alert_is_emailed_once_however_often_the_sweep_runs():
    AlertFactory(recipient=with_email(GPFactory))
    alerts_email_immediate_sweep()
    assert alerts_email_immediate_sweep() == "0 alert(s) looked at; 0 email(s) sent."
    assert len(mail.outbox) == 1


def test_the_email_names_no_patient():
    patient = PatientFactory()
    AlertFactory(recipient=with_email(GPFactory), patient=patient)
    alerts_email_immediate_sweep()
    (message,) = mail.outbox
    text = f"{message.subject}\n{message.body}"
    for identifier in (patient.nhs_number, patient.family_name, patient.given_name):
        assert identifier not in text


def test_a_team_alert_is_emailed_to_each_active_clinician_of_the_organisation():
    alert = TeamAlertFactory()
    trust = alert.organisation
    staff = [with_email(ConsultantFactory, organisation=trust) for _ in range(2)]
    with_email(UserFactory, role=Role.ADMIN, organisation=trust)
    with_email(ConsultantFactory, organisation=trust, is_active=False)
    with_email(ConsultantFactory)  # another trust
    alerts_email_immediate_sweep()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in staff)
    assert "it is read for all of you" in mail.outbox[0].body


def test_a_recipient_without_an_email_address_is_skipped_and_not_retried():
    alert = AlertFactory(recipient=GPFactory(email=""))
    alerts_email_immediate_sweep()
    assert outcome(alert) == EmailOutcome.NO_ADDRESS
    assert alerts_email_immediate_sweep().startswith("0 alert(s) looked at")
    assert mail.outbox == []


def test_a_user_who_chose_the_digest_is_not_emailed_as_the_alert_comes():
    gp = with_email(GPFactory)
    AlertPreferenceFactory(user=gp, email_mode="digest")
    alert = AlertFactory(recipient=gp)
    alerts_email_immediate_sweep()
    assert mail.outbox == []
    assert outcome(alert) == EmailOutcome.NOT_WANTED


def test_a_user_who_chose_no_email_is_not_emailed():
    gp = with_email(GPFactory)
    AlertPreferenceFactory(user=gp, email_mode="none")
    AlertFactory(recipient=gp)
    alerts_email_immediate_sweep()
    assert mail.outbox == []


def test_an_alert_read_before_the_sweep_is_not_emailed():
    alert = AlertFactory(recipient=with_email(GPFactory), read_at=timezone.now())
    alerts_email_immediate_sweep()
    assert mail.outbox == []
    assert outcome(alert) == EmailOutcome.READ_FIRST


def test_a_subject_with_a_line_break_is_sent_on_one_line():
    AlertFactory(recipient=with_email(GPFactory), subject="Result\nBcc: victim@example.com")
    alerts_email_immediate_sweep()
    (message,) = mail.outbox
    assert message.subject == "Interface alert: Result Bcc: victim@example.com"
    assert message.bcc == []


def test_a_failed_send_marks_nothing_so_the_next_run_sends_it(settings):
    alert = AlertFactory(recipient=with_email(GPFactory))
    settings.EMAIL_BACKEND = "tests.alerts.test_email_immediate.FailingBackend"
    with pytest.raises(ConnectionRefusedError):
        alerts_email_immediate_sweep()
    assert Alert.objects.get(pk=alert.pk).emailed_at is None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    alerts_email_immediate_sweep()
    assert len(mail.outbox) == 1


def test_the_sweep_works_through_every_batch(settings):
    settings.ALERTS_EMAIL_BATCH = 2
    gp = with_email(GPFactory)
    AlertFactory.create_batch(5, recipient=gp)
    assert alerts_email_immediate_sweep() == "5 alert(s) looked at; 5 email(s) sent."
    assert not Alert.objects.filter(emailed_at__isnull=True).exists()
