"""The result-alert sweep (docs/product.md §3): a result not acknowledged 2 working days after it
was reported if abnormal, or 7 days otherwise (the defaults), raises one alert to the clinician
responsible for it. English bank holidays are not working days."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

import holidays
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from alerts.services import AlertDraft, alerts_raise
from diagnostics import rules
from diagnostics.models import Booking, Result, TestType

ALERT_KIND = "diagnostics.result_unacknowledged"


def alert_key(result_uuid) -> str:
    return f"{ALERT_KIND}:{result_uuid}"


def english_bank_holidays(years) -> list[date]:
    return list(holidays.country_holidays("GB", subdiv="ENG", years=list(years)))


def result_alert_cutoffs(now: datetime) -> tuple[datetime, datetime]:
    """(abnormal, normal): results reported at or before these instants are overdue at ``now``."""
    local_now = timezone.localtime(now).replace(tzinfo=None)
    working_days = settings.RESULT_ALERT_ABNORMAL_WORKING_DAYS
    years = range(local_now.year - 1 - working_days // 200, local_now.year + 1)
    is_working_day = rules.working_day_checker(english_bank_holidays(years))
    abnormal = rules.working_days_before(local_now, working_days, is_working_day)
    normal = now - timedelta(days=settings.RESULT_ALERT_NORMAL_DAYS)
    return timezone.make_aware(abnormal), normal


def result_alert_due_at(result: Result) -> datetime:
    """When this result's alert falls due (shown on pages beside an unacknowledged result)."""
    local = timezone.localtime(result.reported_at).replace(tzinfo=None)
    years = range(local.year, local.year + 2)
    due = rules.result_alert_due_at(
        reported_at=local,
        abnormal=result.abnormal,
        abnormal_working_days=settings.RESULT_ALERT_ABNORMAL_WORKING_DAYS,
        normal_days=settings.RESULT_ALERT_NORMAL_DAYS,
        is_working_day=rules.working_day_checker(english_bank_holidays(years)),
    )
    return timezone.make_aware(due)


# One statement claims every overdue result not yet alerted. Under PostgreSQL a second sweep
# running at once waits for the first's row locks, then finds ``alerted_at`` set and claims
# nothing; the alert key's unique constraint is a second guard.
_CLAIM_SQL = """
UPDATE {result} SET alerted_at = %s
WHERE acknowledged_at IS NULL AND alerted_at IS NULL
  AND ((abnormal AND reported_at <= %s) OR (NOT abnormal AND reported_at <= %s))
RETURNING uuid, responsible_id, abnormal, booking_id
"""
_CHUNK = 5000


def _bookings(booking_ids: list[int]) -> dict[int, tuple[int, int]]:
    """booking id -> (patient id, test type id), a chunk of ids at a time."""
    found: dict[int, tuple[int, int]] = {}
    for start in range(0, len(booking_ids), _CHUNK):
        rows = Booking.objects.filter(pk__in=booking_ids[start : start + _CHUNK]).values_list(
            "pk", "patient_id", "test_type_id"
        )
        found.update((pk, (patient_id, test_type_id)) for pk, patient_id, test_type_id in rows)
    return found


def result_alerts_sweep(now: datetime | None = None) -> str:
    """Raise one alert for each result overdue for acknowledgement; safe to run twice or at
    once on two workers (a conditional UPDATE claims each result once, in one transaction with
    the alerts it raises)."""
    now = now or timezone.now()
    abnormal_cutoff, normal_cutoff = result_alert_cutoffs(now)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                _CLAIM_SQL.format(result=Result._meta.db_table),
                [now, abnormal_cutoff, normal_cutoff],
            )
            rows = cursor.fetchall()
        bookings = _bookings([row[3] for row in rows])
        test_names = dict(TestType.objects.values_list("pk", "name"))
        drafts = []
        for result_uuid, responsible_id, abnormal, booking_id in rows:
            patient_id, test_type_id = bookings[booking_id]
            key = _uuid_text(result_uuid)
            drafts.append(
                AlertDraft(
                    kind=ALERT_KIND,
                    key=alert_key(key),
                    subject=(
                        f"{'An abnormal' if abnormal else 'A'} result "
                        f"({test_names[test_type_id]}) has not been acknowledged"
                    ),
                    link=f"/diagnostics/results/{key}/",
                    recipient_id=responsible_id,
                    patient_id=patient_id,
                )
            )
        raised = alerts_raise(drafts)
    return f"{raised} result alert(s) raised, {len(rows)} overdue result(s) claimed"


def _uuid_text(value) -> str:
    """SQLite returns a UUIDField as 32 hex digits, PostgreSQL as a UUID."""
    return str(value if isinstance(value, uuid.UUID) else uuid.UUID(str(value)))
