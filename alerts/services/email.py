"""Emailing alerts: the two sweeps (docs/alerts.md, Email).

``alerts.email_immediate`` (every few minutes) claims the alerts no sweep has looked at yet,
``SELECT … FOR UPDATE SKIP LOCKED`` in batches, emails each to those of its recipients who want
each alert as it comes, and marks it (``emailed_at``, ``email_outcome``) in the same
transaction: two workers claim disjoint batches, and an alert is emailed once, or, if the send
fails, not marked at all and sent by the next run. An organisation's alert goes to each active
member of its staff who shares the team inbox. ``alerts.email_digest`` (daily, at
``ALERTS_DIGEST_HOUR``) claims the preferences of users who chose the digest and have not had
today's, the same way, and sends each one email listing their unread alerts since their last.

Emails name no patient: an alert's subject never does (``AlertDraft``), and the body links to
the app, where the record is shown only to those who may see it. A user without an email address
(or no longer active) is skipped, and the alert or digest is marked all the same, so it is never
retried.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from alerts.models import Alert, AlertPreference, EmailMode, EmailOutcome
from alerts.rules import digest_cutoff, single_line
from alerts.selectors import alert_email_recipients, digest_alerts_for, email_preferences_of
from directory.models import User


def _absolute(path: str) -> str:
    """A link into the app for an email, which has no request to build it from."""
    return f"{settings.ALERTS_SITE_URL.rstrip('/')}{path}"


def _message(*, subject: str, template: str, context: dict, to: User) -> EmailMessage:
    body = render_to_string(
        template,
        {
            **context,
            "user": to,
            "inbox_url": _absolute(reverse("alerts:inbox")),
            "preferences_url": _absolute(reverse("alerts:preferences")),
        },
    )
    return EmailMessage(
        subject=single_line(subject)[:200],
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to.email],
    )


def _reachable(user: User) -> bool:
    return user.is_active and bool(user.email)


def _send(messages: list[EmailMessage]) -> None:
    """Send over one connection; a failure raises, so the claiming transaction rolls back."""
    if messages:
        get_connection(fail_silently=False).send_messages(messages)


# Each alert as it comes


def alerts_claim_for_email(*, limit: int) -> list[Alert]:
    """Lock and return up to ``limit`` alerts no sweep has looked at yet, oldest first,
    skipping any another transaction holds (``FOR UPDATE SKIP LOCKED``, on the partial index
    ``alert_email_pending``): concurrent claimers get disjoint sets. Call it inside the
    transaction that marks them."""
    return list(
        Alert.objects.filter(emailed_at__isnull=True)
        .select_related("organisation")
        .select_for_update(skip_locked=True, of=("self",))
        .order_by("id")[:limit]
    )


@transaction.atomic
def _email_batch() -> tuple[int, int]:
    """Claim, email and mark one batch; return (alerts claimed, emails sent)."""
    claimed = alerts_claim_for_email(limit=settings.ALERTS_EMAIL_BATCH)
    if not claimed:
        return 0, 0
    recipients = alert_email_recipients(claimed)
    modes = email_preferences_of(u.pk for users in recipients.values() for u in users)
    messages: list[EmailMessage] = []
    outcomes: dict[str, list[int]] = defaultdict(list)
    for alert in claimed:
        if alert.read_at is not None:
            outcomes[EmailOutcome.READ_FIRST].append(alert.pk)
            continue
        wanted = [u for u in recipients[alert.pk] if modes[u.pk] == EmailMode.IMMEDIATE]
        reachable = [u for u in wanted if _reachable(u)]
        messages += [
            _message(
                subject=f"Interface alert: {alert.subject}",
                template="alerts/email/alert.txt",
                context={"alert": alert, "link": _absolute(alert.link) if alert.link else ""},
                to=user,
            )
            for user in reachable
        ]
        if reachable:
            outcomes[EmailOutcome.SENT].append(alert.pk)
        else:
            outcomes[EmailOutcome.NO_ADDRESS if wanted else EmailOutcome.NOT_WANTED].append(
                alert.pk
            )
    _send(messages)
    now = timezone.now()
    for outcome, ids in outcomes.items():
        Alert.objects.filter(pk__in=ids).update(emailed_at=now, email_outcome=outcome)
    return len(claimed), len(messages)


def alerts_email_immediate_sweep() -> str:
    """The sweep ``alerts.email_immediate``: every alert no sweep has looked at yet, in batches
    of ``ALERTS_EMAIL_BATCH``, each its own transaction. Safe to run twice or concurrently."""
    looked = sent = 0
    while True:
        claimed, emails = _email_batch()
        if not claimed:
            break
        looked += claimed
        sent += emails
    return f"{looked} alert(s) looked at; {sent} email(s) sent."


# The daily digest


def _digest_due_q(cutoff: datetime) -> Q:
    return Q(email_mode=EmailMode.DIGEST) & (
        Q(digest_through__isnull=True) | Q(digest_through__lt=cutoff)
    )


def alert_digests_claim(*, cutoff: datetime, limit: int) -> list[AlertPreference]:
    """Lock and return up to ``limit`` preferences of users who chose the digest and have not
    had the one due at ``cutoff``, skipping any another transaction holds. Call it inside the
    transaction that marks them."""
    return list(
        AlertPreference.objects.filter(_digest_due_q(cutoff))
        .select_related("user")
        .select_for_update(skip_locked=True, of=("self",))
        .order_by("id")[:limit]
    )


@transaction.atomic
def _digest_batch(*, now: datetime, cutoff: datetime) -> tuple[int, int]:
    """Claim one batch of due digests, send those with something to say, and mark them all
    done up to ``now``; return (digests due, emails sent)."""
    due = alert_digests_claim(cutoff=cutoff, limit=settings.ALERTS_EMAIL_BATCH)
    if not due:
        return 0, 0
    messages = []
    for preference in due:
        user = preference.user
        if not _reachable(user):
            continue
        since = preference.digest_through or cutoff - timedelta(days=1)
        listed, total = digest_alerts_for(user, since=since, until=now)
        if total:
            messages.append(
                _message(
                    subject=f"Interface: {total} unread alert{'s' if total != 1 else ''}",
                    template="alerts/email/digest.txt",
                    context={
                        "alerts": [(a, _absolute(a.link) if a.link else "") for a in listed],
                        "total": total,
                        "more": total - len(listed),
                    },
                    to=user,
                )
            )
    _send(messages)
    AlertPreference.objects.filter(pk__in=[p.pk for p in due]).update(digest_through=now)
    return len(due), len(messages)


def alerts_email_digest_sweep() -> str:
    """The sweep ``alerts.email_digest``: each user who chose the digest and has not had the
    one due at the latest ``ALERTS_DIGEST_HOUR`` gets it now (nothing if nothing is unread).
    Run again the same day, or concurrently, it sends nothing more."""
    now = timezone.now()
    cutoff = digest_cutoff(timezone.localtime(now), hour=settings.ALERTS_DIGEST_HOUR)
    due = sent = 0
    while True:
        claimed, emails = _digest_batch(now=now, cutoff=cutoff)
        if not claimed:
            break
        due += claimed
        sent += emails
    return f"{due} digest(s) due; {sent} email(s) sent."
