"""Set-based recomputation of the queue (docs/product.md §2 "Recomputation").

A few statements per service (provider + treatment function), never a loop of ``save()``:

1. effective category, urgency rank and target date of every open, non-deferred referral;
2. each referral's 1-based position in its service's queue (window function), and no position
   for open referrals deferred at the patient's choice (a referral that closes loses its
   position as it closes);
3. the provider's rows of the backlog summary (counts per service, as of today).

Rows are written only where a value changes, so a second run writes nothing and the table does
not grow. Each service is done in its own short transaction under a PostgreSQL advisory lock
keyed by provider, so two runs at once serialise per provider and end with the same result as
one, and no transaction holds its locks for long.

A change that moves a queue records a :class:`~triage.models.QueueRecomputeRequest` in its own
transaction (:func:`queue_recompute_on_commit`); the task sent on commit, or else the sweep,
carries it out (:func:`queue_recompute_requested`, :func:`queue_recompute_requests_sweep`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as time_of_day
from functools import partial

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from triage.models import (
    OPEN_STATUSES,
    URGENCY_ORDER,
    BacklogSummary,
    QueueRecomputeRequest,
    Referral,
)
from triage.rules import QUEUE_CATEGORIES, max_wait_days

logger = logging.getLogger(__name__)

# An arbitrary constant naming the recompute's advisory-lock space.
ADVISORY_LOCK_CLASS = 42_101

# What runs a service's recomputation after a commit: the Celery task, set by
# ``TriageConfig.ready()`` (so services need not import the tasks that call them back). Until
# then, and in a bare script, the recomputation runs in-process.
_recompute_dispatcher: Callable[[int, str | None], None] | None = None


def queue_recompute_dispatcher_set(dispatcher: Callable[[int, str | None], None]) -> None:
    global _recompute_dispatcher
    _recompute_dispatcher = dispatcher


def queue_recompute_on_commit(provider_id: int, treatment_function_id: str | None = None) -> None:
    """Re-rank the service's queue (or every queue of the provider) after this change
    (docs/product.md §2 "Recomputation").

    The request is written in the caller's transaction, so it commits with the change or not at
    all; the task is sent once the transaction commits, as best effort. A send that fails (the
    broker down), is lost, or whose worker dies only delays the work until the next sweep."""
    QueueRecomputeRequest.objects.create(
        provider_id=provider_id, treatment_function=treatment_function_id or ""
    )
    transaction.on_commit(partial(_send, provider_id, treatment_function_id))


def _send(provider_id: int, treatment_function_id: str | None) -> None:
    try:
        if _recompute_dispatcher is None:
            queue_recompute_requested(provider_id, treatment_function_id)
        else:
            _recompute_dispatcher(provider_id, treatment_function_id)
    except Exception:
        # The change is committed and the request recorded with it: an unreachable broker (or a
        # failed in-process run) must not turn a saved review into an error, nor hold the
        # request while it retries. The sweep does the work instead.
        logger.warning(
            "Queue recomputation of provider %s service %s not sent; the next sweep does it.",
            provider_id,
            treatment_function_id or "(all)",
            exc_info=True,
        )


@dataclass
class RecomputeResult:
    providers: int = 0
    targets_updated: int = 0
    positions_updated: int = 0
    # The longest a single provider's transaction held its locks, in seconds.
    longest_transaction_seconds: float = 0.0

    def as_dict(self) -> dict[str, int | float]:
        return {
            "providers": self.providers,
            "targets_updated": self.targets_updated,
            "positions_updated": self.positions_updated,
            "longest_transaction_seconds": round(self.longest_transaction_seconds, 3),
        }


def _quote_list(values) -> str:
    # Only our own constant category and status codes reach here; never user input.
    return ", ".join("'" + str(v).replace("'", "''") + "'" for v in values)


def _effective_category_sql() -> str:
    return (
        f"CASE WHEN category IN ({_quote_list(QUEUE_CATEGORIES)}) THEN category "
        "WHEN priority = 'two_week_wait' THEN '2WW' "
        "WHEN priority = 'urgent' THEN 'P2' ELSE 'P4' END"
    )


def _case_on(column: str, mapping: dict[str, int]) -> str:
    whens = " ".join(f"WHEN '{key}' THEN {int(value)}" for key, value in mapping.items())
    return f"CASE {column} {whens} END"


def _add_days_sql(date_column: str, days_sql: str) -> str:
    if connection.vendor == "postgresql":
        return f"({date_column} + ({days_sql}))"
    return f"date({date_column}, '+' || ({days_sql}) || ' days')"


def _targets_sql() -> str:
    """One pass over the service's open rows, writing only rows whose values change."""
    open_list = _quote_list(OPEN_STATUSES)
    ranks = {category: index for index, category in enumerate(URGENCY_ORDER)}
    ec = _effective_category_sql()
    rank = _case_on(f"({ec})", ranks)
    target = _add_days_sql("clock_start", _case_on(f"({ec})", max_wait_days()))
    return f"""
        UPDATE triage_referral
        SET effective_category = {ec}, urgency_rank = {rank}, target_date = {target}
        WHERE provider_id = %s AND treatment_function_id = %s
          AND status IN ({open_list}) AND NOT deferred AND (
            effective_category IS DISTINCT FROM ({ec})
            OR urgency_rank IS DISTINCT FROM ({rank})
            OR target_date IS DISTINCT FROM ({target}))
    """


def _positions_sql() -> str:
    """Rank the service's open rows: queue rows 1, 2, 3… in queue order, deferred rows none.

    One pass over the service's open rows (the service-status index), then an update by
    primary key of only the rows whose position changes. A referral that closes loses its
    position in the same update (``referral_transition``), so closed rows, which grow with
    the years, are never read here."""
    open_list = _quote_list(OPEN_STATUSES)
    return f"""
        WITH ranked AS (
            SELECT id, position AS stored,
                CASE WHEN NOT deferred THEN row_number() OVER (
                    PARTITION BY deferred
                    ORDER BY target_date, urgency_rank, clock_start, id) END AS pos
            FROM triage_referral
            WHERE provider_id = %s AND treatment_function_id = %s
              AND status IN ({open_list})
        )
        UPDATE triage_referral SET position = ranked.pos
        FROM ranked
        WHERE triage_referral.id = ranked.id AND ranked.stored IS DISTINCT FROM ranked.pos
    """


def _summary_sql() -> tuple[str, str]:
    open_list = _quote_list(OPEN_STATUSES)
    delete = (
        "DELETE FROM triage_backlogsummary WHERE provider_id = %s AND treatment_function_id = %s"
    )
    recent_harm_review = (
        "EXISTS (SELECT 1 FROM triage_harmreview h WHERE h.referral_id = triage_referral.id "
        "AND h.created_at > %s)"
    )
    insert = f"""
        INSERT INTO triage_backlogsummary (
            provider_id, treatment_function_id, as_of, open_referrals, deferred, unreviewed,
            breached, waits_52_plus, waits_78_plus, waits_104_plus,
            band_0_18, band_18_52, band_52_78, band_78_104, band_104_plus,
            for_review, awaiting_booking, dna_rebook, harm_review_due, needs_action,
            computed_at)
        SELECT provider_id, treatment_function_id, %s, COUNT(*),
            SUM(CASE WHEN deferred THEN 1 ELSE 0 END),
            SUM(CASE WHEN category IS NULL THEN 1 ELSE 0 END),
            SUM(CASE WHEN NOT deferred AND target_date < %s THEN 1 ELSE 0 END),
            SUM(CASE WHEN clock_start <= %s THEN 1 ELSE 0 END),
            SUM(CASE WHEN clock_start <= %s THEN 1 ELSE 0 END),
            SUM(CASE WHEN clock_start <= %s THEN 1 ELSE 0 END),
            SUM(CASE WHEN clock_start > %s THEN 1 ELSE 0 END),
            SUM(CASE WHEN clock_start <= %s AND clock_start > %s THEN 1 ELSE 0 END),
            SUM(CASE WHEN clock_start <= %s AND clock_start > %s THEN 1 ELSE 0 END),
            SUM(CASE WHEN clock_start <= %s AND clock_start > %s THEN 1 ELSE 0 END),
            SUM(CASE WHEN clock_start <= %s THEN 1 ELSE 0 END),
            SUM(CASE WHEN NOT deferred AND status IN ('awaiting_review', 'under_review')
                THEN 1 ELSE 0 END),
            SUM(CASE WHEN NOT deferred AND status = 'accepted' AND NOT awaiting_rebook
                THEN 1 ELSE 0 END),
            SUM(CASE WHEN status = 'accepted' AND awaiting_rebook THEN 1 ELSE 0 END),
            SUM(CASE WHEN NOT deferred AND (clock_start <= %s OR target_date < %s)
                AND NOT {recent_harm_review} THEN 1 ELSE 0 END),
            SUM(CASE WHEN (NOT deferred AND status IN ('awaiting_review', 'under_review'))
                OR (NOT deferred AND status = 'accepted' AND NOT awaiting_rebook)
                OR (status = 'accepted' AND awaiting_rebook)
                OR (NOT deferred AND (clock_start <= %s OR target_date < %s)
                    AND NOT {recent_harm_review}) THEN 1 ELSE 0 END),
            %s
        FROM triage_referral
        WHERE provider_id = %s AND treatment_function_id = %s AND status IN ({open_list})
        GROUP BY provider_id, treatment_function_id
    """
    return delete, insert


def _summary_params(provider_id: int, treatment_function_id: str, today: date) -> list:
    """Cut-off clock-start dates for 18, 52, 78 and 104 weeks waited (docs/product.md §6 bands),
    the harm-review window (triage.selectors.harm_review_due_q says the same in the ORM), twice
    (its own count and the distinct ``needs_action``), and the time of this recomputation."""
    w18, w52, w78, w104 = (today - timedelta(weeks=w) for w in (18, 52, 78, 104))
    harm_since = timezone.make_aware(
        datetime.combine(
            today - timedelta(days=settings.TRIAGE_HARM_REVIEW_INTERVAL_DAYS), time_of_day.max
        )
    )
    return [
        today, today, w52, w78, w104,
        w18, w18, w52, w52, w78, w78, w104, w104,
        w52, today, harm_since,
        w52, today, harm_since,
        connection.ops.adapt_datetimefield_value(timezone.now()),
        provider_id, treatment_function_id,
    ]  # fmt: skip


def _rowcount(cursor) -> int:
    """Rows the last statement changed. Python's sqlite3 reports -1 for a statement that opens
    with WITH, so ask SQLite itself there."""
    if connection.vendor == "sqlite":
        cursor.execute("SELECT changes()")
        return cursor.fetchone()[0]
    return cursor.rowcount


def queue_recompute_service(provider_id: int, treatment_function_id: str) -> RecomputeResult:
    """Recompute one service's queue (provider + treatment function) in one short transaction,
    under the provider's advisory lock."""
    result = RecomputeResult(providers=1)
    service = [provider_id, treatment_function_id]
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The provider's lock, and for this transaction only (one round trip): a service's
            # sort fits in memory, and JIT compiling costs more than it saves here.
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, %s), set_config('work_mem', '64MB', true), "
                "set_config('jit', 'off', true)",
                [ADVISORY_LOCK_CLASS, provider_id],
            )
        cursor.execute(_targets_sql(), service)
        result.targets_updated = _rowcount(cursor)
        cursor.execute(_positions_sql(), service)
        result.positions_updated = _rowcount(cursor)
        delete, insert = _summary_sql()
        cursor.execute(delete, service)
        cursor.execute(
            insert, _summary_params(provider_id, treatment_function_id, timezone.localdate())
        )
    result.longest_transaction_seconds = time.perf_counter() - started
    return result


def _merge(total: RecomputeResult, part: RecomputeResult) -> None:
    total.targets_updated += part.targets_updated
    total.positions_updated += part.positions_updated
    total.longest_transaction_seconds = max(
        total.longest_transaction_seconds, part.longest_transaction_seconds
    )


def _services(provider_ids: list[int] | None) -> list[tuple[int, str]]:
    """Services with referrals, or with backlog rows left from referrals since closed."""
    referrals = Referral.objects.order_by()
    summaries = BacklogSummary.objects.order_by()
    if provider_ids is not None:
        referrals = referrals.filter(provider_id__in=provider_ids)
        summaries = summaries.filter(provider_id__in=provider_ids)
    pairs = set(referrals.values_list("provider_id", "treatment_function_id").distinct())
    pairs |= set(summaries.values_list("provider_id", "treatment_function_id"))
    return sorted(pairs)


def queue_recompute_provider(
    provider_id: int, treatment_function_id: str | None = None
) -> RecomputeResult:
    """Recompute one provider's queues, service by service (or just the one service named)."""
    if treatment_function_id is not None:
        return queue_recompute_service(provider_id, treatment_function_id)
    total = RecomputeResult(providers=1)
    for provider, function in _services([provider_id]):
        _merge(total, queue_recompute_service(provider, function))
    return total


def queue_recompute(*, provider_ids: list[int] | None = None, progress=None) -> RecomputeResult:
    """Recompute every provider's queues (or the named providers'), one short transaction per
    service. Idempotent. ``progress(done, total)`` counts providers as each is finished."""
    total = RecomputeResult()
    services = _services(provider_ids)
    providers = len({provider_id for provider_id, _ in services})
    for index, (provider_id, function) in enumerate(services):
        _merge(total, queue_recompute_service(provider_id, function))
        last_of_provider = index + 1 == len(services) or services[index + 1][0] != provider_id
        if last_of_provider:
            total.providers += 1
            if progress is not None:
                progress(total.providers, providers)
    return total


def _requested_service(provider_id: int, treatment_function_id: str) -> RecomputeResult:
    requests = QueueRecomputeRequest.objects.filter(
        provider_id=provider_id, treatment_function=treatment_function_id
    )
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The requests are read under the provider's lock: a second run for the service
            # waits here, then finds them deleted and does nothing.
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)", [ADVISORY_LOCK_CLASS, provider_id]
            )
        covered = list(requests.values_list("pk", flat=True))
        if not covered:
            return RecomputeResult()
        result = queue_recompute_service(provider_id, treatment_function_id)
        QueueRecomputeRequest.objects.filter(pk__in=covered).delete()
    return result


def _requested_provider(provider_id: int) -> RecomputeResult:
    """Every queue of the provider, one short transaction per service as ever; the provider's
    requests seen before it started (for any of its services) are covered and deleted."""
    covered = list(
        QueueRecomputeRequest.objects.filter(provider_id=provider_id).values_list(
            "pk", "treatment_function"
        )
    )
    if not any(function == "" for _, function in covered):
        return RecomputeResult()
    result = queue_recompute_provider(provider_id)
    QueueRecomputeRequest.objects.filter(pk__in=[pk for pk, _ in covered]).delete()
    return result


def queue_recompute_requested(
    provider_id: int, treatment_function_id: str | None = None
) -> RecomputeResult:
    """Carry out the recorded requests of one service (or, without a treatment function, the
    provider's requests for all its services): recompute, then delete the requests that
    existed when it started, so a request recorded meanwhile is kept for the next run. With
    nothing recorded (another run covered it) it does nothing: ``providers`` is 0."""
    if treatment_function_id:
        return _requested_service(provider_id, treatment_function_id)
    return _requested_provider(provider_id)


def queue_recompute_requests_sweep() -> str:
    """The sweep (``run_sweeps``, and beat every few minutes): every recorded request not yet
    carried out, whatever became of its task. Safe to run twice or concurrently."""
    pending = set(
        QueueRecomputeRequest.objects.order_by()
        .values_list("provider_id", "treatment_function")
        .distinct()
    )
    whole = {provider_id for provider_id, function in pending if function == ""}
    total = RecomputeResult()
    services = 0
    for provider_id, function in sorted(pending):
        if function and provider_id in whole:
            continue  # the provider's whole recomputation covers this service
        result = queue_recompute_requested(provider_id, function or None)
        services += result.providers
        _merge(total, result)
    return (
        f"{services} queue(s) recomputed as recorded; "
        f"{total.positions_updated} position(s) and {total.targets_updated} target(s) changed."
    )
