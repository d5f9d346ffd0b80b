"""Two workers emailing at once (PostgreSQL): ``FOR UPDATE SKIP LOCKED`` gives each a disjoint
set of alerts, so no alert is emailed twice."""

import threading
from collections import Counter
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connections, transaction
from django.utils import timezone

from alerts.models import Alert
from alerts.services import (
    alert_digests_claim,
    alerts_claim_for_email,
    alerts_email_immediate_sweep,
)
from tests.alerts.factories import AlertFactory, AlertPreferenceFactory
from tests.factories import GPFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_transactions_claim_disjoint_sets_of_alerts(postgres):
    gp = GPFactory(email="gp@example.nhs.uk")
    alerts = AlertFactory.create_batch(6, recipient=gp)
    first_claimed = threading.Event()
    second_done = threading.Event()
    claimed: dict[str, list[int]] = {}

    def claim(name: str, *, hold: bool) -> None:
        try:
            with transaction.atomic():
                claimed[name] = [a.pk for a in alerts_claim_for_email(limit=4)]
                if hold:
                    first_claimed.set()
                    second_done.wait(timeout=30)
        finally:
            connections.close_all()

    first = threading.Thread(target=claim, args=("first",), kwargs={"hold": True})
    first.start()
    assert first_claimed.wait(timeout=30)
    second = threading.Thread(target=claim, args=("second",), kwargs={"hold": False})
    second.start()
    second.join(timeout=30)
    second_done.set()
    first.join(timeout=30)

    assert len(claimed["first"]) == 4
    assert not set(claimed["first"]) & set(claimed["second"])
    assert set(claimed["first"]) | set(claimed["second"]) == {a.pk for a in alerts}


def test_two_sweeps_at_once_email_each_alert_exactly_once(postgres, settings):
    settings.ALERTS_EMAIL_BATCH = 3
    gp = GPFactory(email="gp@example.nhs.uk")
    AlertFactory.create_batch(20, recipient=gp)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def sweep() -> None:
        try:
            barrier.wait(timeout=30)
            alerts_email_immediate_sweep()
        except BaseException as exc:  # reported below, not lost in the thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    sent = Counter(message.subject for message in mail.outbox)
    assert len(sent) == 20 and set(sent.values()) == {1}
    assert not Alert.objects.filter(emailed_at__isnull=True).exists()


def test_two_transactions_claim_disjoint_digests(postgres):
    AlertPreferenceFactory.create_batch(4, digest_through=None)
    cutoff = timezone.now() - timedelta(minutes=1)
    first_claimed, second_done = threading.Event(), threading.Event()
    claimed: dict[str, list[int]] = {}

    def claim(name: str, *, hold: bool) -> None:
        try:
            with transaction.atomic():
                claimed[name] = [p.pk for p in alert_digests_claim(cutoff=cutoff, limit=3)]
                if hold:
                    first_claimed.set()
                    second_done.wait(timeout=30)
        finally:
            connections.close_all()

    first = threading.Thread(target=claim, args=("first",), kwargs={"hold": True})
    first.start()
    assert first_claimed.wait(timeout=30)
    second = threading.Thread(target=claim, args=("second",), kwargs={"hold": False})
    second.start()
    second.join(timeout=30)
    second_done.set()
    first.join(timeout=30)
    assert (len(claimed["first"]), len(claimed["second"])) == (3, 1)
    assert not set(claimed["first"]) & set(claimed["second"])
