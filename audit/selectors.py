"""Reads of the audit trail: the privacy officers' search, and the verification of the chain."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from audit import chain
from audit.models import AuditChainHead, AuditEvent

SEARCH_PAGE_SIZE = 50
VERIFY_CHUNK = 10_000


@dataclass
class EventPage:
    """Newest first. ``older``/``newer``: the id to pass as ``before``/``after`` for the next
    page either way, or None at that end."""

    events: list[AuditEvent]
    older: int | None
    newer: int | None


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_events_search(
    *,
    nhs_number: str = "",
    username: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[AuditEvent]:
    """Events by patient (NHS number, digits), by user (username) and by English local date,
    both ends inclusive. The caller checks ``audit.permissions.can_search_audit``."""
    events = AuditEvent.objects.select_related("user", "patient")
    if nhs_number:
        events = events.filter(patient__nhs_number=nhs_number)
    if username:
        events = events.filter(user__username=username)
    if date_from:
        events = events.filter(at__gte=_local_midnight(date_from))
    if date_to:
        events = events.filter(at__lt=_local_midnight(date_to + timedelta(days=1)))
    return events


def audit_events_page(
    events: QuerySet[AuditEvent],
    *,
    before: int | None = None,
    after: int | None = None,
    size: int = SEARCH_PAGE_SIZE,
) -> EventPage:
    """One page by keyset on the id (chain order, so newest first), never OFFSET: ``before``
    gives the page of older events, ``after`` the page of newer ones."""
    if after is not None:
        rows = list(events.filter(id__gt=after).order_by("id")[: size + 1])
        more = len(rows) > size
        rows = rows[:size][::-1]
        return EventPage(
            rows, older=rows[-1].id if rows else None, newer=rows[0].id if more else None
        )
    if before is not None:
        events = events.filter(id__lt=before)
    rows = list(events.order_by("-id")[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return EventPage(
        rows,
        older=rows[-1].id if more else None,
        newer=rows[0].id if rows and before is not None else None,
    )


@dataclass
class ChainReport:
    """What ``verify_audit`` found. ``problem`` is empty when the chain is intact."""

    count: int
    head_id: int | None
    head_hash: str
    problem: str = ""
    event_id: int | None = None
    recorded_head_found: bool = False

    @property
    def intact(self) -> bool:
        return not self.problem


def audit_chain_verify(
    *,
    recorded_head: str = "",
    chunk: int = VERIFY_CHUNK,
    progress: Callable[[int, int | None], None] | None = None,
) -> ChainReport:
    """Recompute every event's hash in id order and check each link and the chain head.

    Streams the table in chunks by keyset on the id, so memory is flat in its size. Reports
    the first problem: an event whose contents no longer match its hash (altered), an event
    that does not link to the one before it (one between them deleted, or the earlier one
    rewritten), a chain that ends short of its head (the newest deleted, the table emptied) or
    runs past it (events written without the trigger). ``recorded_head``: a head hash
    recorded earlier, elsewhere, which must still be on the chain.
    """
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            # One snapshot for the head and every chunk: events committed meanwhile are
            # neither walked nor held against the head read before them.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        head = AuditChainHead.objects.filter(pk=1).first()
        return _walk(head, recorded_head=recorded_head, chunk=chunk, progress=progress)


def _walk(head, *, recorded_head: str, chunk: int, progress) -> ChainReport:
    total = head.count if head else None
    prev_hash, prev_id, count, found, past = chain.GENESIS_HASH, None, 0, False, None
    last = 0
    while True:
        rows = list(
            AuditEvent.objects.filter(id__gt=last)
            .order_by("id")
            .values(*chain.CHAIN_FIELDS, "hash")[:chunk]
        )
        if not rows:
            break
        for row in rows:
            event_id = row["id"]
            if chain.chain_hash(row) != row["hash"]:
                return _broken(
                    head,
                    count,
                    event_id,
                    f"event {event_id} was altered: its contents no longer match its hash",
                )
            if row["prev_hash"] != prev_hash:
                after = f"event {prev_id}" if prev_id is not None else "the start of the chain"
                return _broken(
                    head,
                    count,
                    event_id,
                    f"event {event_id} does not follow {after}: an event between them was "
                    f"deleted, or {after} was rewritten",
                )
            if head is not None and past is None and event_id > head.last_id:
                past = event_id
            found = found or row["hash"] == recorded_head
            prev_hash, prev_id, count = row["hash"], event_id, count + 1
        last = rows[-1]["id"]
        if progress:
            progress(count, total)
    if head is None:
        if count:
            return _broken(None, count, None, "the chain head is missing, yet events remain")
        return ChainReport(0, None, chain.GENESIS_HASH, recorded_head_found=found)
    if prev_id is None or prev_id < head.last_id:
        newest = f"event {prev_id}" if prev_id is not None else "no event at all"
        return _broken(
            head,
            count,
            head.last_id,
            f"event {head.last_id}, the newest the chain head records, is missing (the table "
            f"ends at {newest}): the newest events were deleted, or the table emptied",
        )
    if past is not None:
        return _broken(
            head,
            count,
            past,
            f"event {past} is past the chain head (event {head.last_id}): it was written "
            "without the chain's trigger",
        )
    if prev_hash != head.last_hash:
        return _broken(
            head,
            count,
            prev_id,
            f"event {prev_id} does not match the chain head's hash: it was rewritten",
        )
    if count != head.count:
        return _broken(
            head,
            count,
            head.last_id,
            f"the chain head counts {head.count} events, but {count} link up to it",
        )
    return ChainReport(count, head.last_id, head.last_hash, recorded_head_found=found)


def _broken(head, count: int, event_id: int | None, problem: str) -> ChainReport:
    return ChainReport(
        count,
        head.last_id if head else None,
        head.last_hash if head else "",
        problem=problem,
        event_id=event_id,
    )
