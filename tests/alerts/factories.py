"""Factories for the alerts app's tests."""

from __future__ import annotations

import factory
from django.utils import timezone

from alerts.models import Alert, AlertPreference, EmailMode
from tests.factories import GPFactory


class AlertFactory(factory.django.DjangoModelFactory):
    """An alert to a GP; give ``organisation=…, recipient=None`` for a team alert."""

    class Meta:
        model = Alert

    kind = "test.something_due"
    key = factory.Sequence(lambda n: f"test.something_due:{n}")
    recipient = factory.SubFactory(GPFactory)
    organisation = None
    subject = factory.Sequence(lambda n: f"Something needs you ({n})")
    link = "/triage/queue/"
    created_at = factory.LazyFunction(timezone.now)


class TeamAlertFactory(AlertFactory):
    recipient = None
    organisation = factory.SubFactory("tests.factories.TrustFactory")


class AlertPreferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AlertPreference

    user = factory.SubFactory(GPFactory)
    email_mode = EmailMode.DIGEST
