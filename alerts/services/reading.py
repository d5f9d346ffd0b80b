"""Marking alerts read: one for the whole team that shares it, or every alert of an inbox.

An alert names no patient in what it shows, so listing the inbox is not a read of patient data;
marking read an alert about a patient is a change to a record about them, and is audited
(one ``update`` event per such alert, object type ``alert``; docs/product.md §1)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from alerts.models import Alert
from alerts.permissions import can_see_alert
from alerts.selectors import alerts_visible_to
from audit.models import AuditAction
from audit.services import AuditContext, audit_record
from core.errors import ApplicationError
from directory.models import User

AUDIT_OBJECT_TYPE = "alert"


def _audit_marked(*, actor: User, context: AuditContext, rows: list[tuple]) -> None:
    """Audit the alerts about a patient among ``rows`` of ``(uuid, patient_id)``."""
    about_patients = [(uuid, patient_id) for uuid, patient_id in rows if patient_id is not None]
    if about_patients:
        audit_record(
            actor=actor,
            context=context,
            action=AuditAction.UPDATE,
            object_type=AUDIT_OBJECT_TYPE,
            patient_ids=[patient_id for _, patient_id in about_patients],
            object_ids=[str(uuid) for uuid, _ in about_patients],
            detail="marked read",
        )


@transaction.atomic
def alert_mark_read(*, alert: Alert, actor: User, context: AuditContext) -> Alert:
    """Mark ``alert`` read by ``actor``, for everyone who shares it. Marking an alert already
    read changes nothing: it keeps who read it first, and when."""
    if not can_see_alert(actor, alert):
        # The selectors answer 404 before this; a command or task is held to the same rule.
        raise ApplicationError("This alert is not yours.", field_errors={"alert": ["Not found."]})
    now = timezone.now()
    marked = Alert.objects.filter(pk=alert.pk, read_at__isnull=True).update(
        read_at=now, read_by=actor
    )
    if marked:
        _audit_marked(actor=actor, context=context, rows=[(alert.uuid, alert.patient_id)])
    alert.refresh_from_db(fields=["read_at", "read_by"])
    return alert


@transaction.atomic
def alerts_mark_all_read(*, actor: User, context: AuditContext) -> int:
    """Mark read every unread alert ``actor`` sees (their own and their team's) raised until
    now; return how many. One set-based UPDATE, whatever the inbox holds."""
    now = timezone.now()
    unread = alerts_visible_to(actor).filter(read_at__isnull=True, created_at__lte=now)
    about_patients = list(
        unread.filter(patient_id__isnull=False).order_by().values_list("uuid", "patient_id")
    )
    marked = unread.order_by().update(read_at=now, read_by=actor)
    _audit_marked(actor=actor, context=context, rows=about_patients)
    return marked
