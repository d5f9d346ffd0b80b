"""Set-based recomputation of the queue (docs/product.md §2 "Recomputation").

Per service (provider + treatment function), never a loop of ``save()`` (the SQL is in
``triage.services.queue_sql``):

1. effective category, urgency rank and target date of every open, non-deferred referral;
2. each referral's 1-based position in its service's queue (window function), and no position
   for open referrals deferred at the patient's choice (a referral that closes loses its
   position as it closes);
3. the service's row of the backlog summary (counts, as of today).

On PostgreSQL the three are one statement reading the service's open rows once; SQLite runs
them as three. Rows are written only where a value changes, so a second run writes nothing and
the table does not grow. Each service is done in its own short transaction under a PostgreSQL
advisory lock keyed by provider, so two runs at once serialise per provider and end with the
same result as one, and no transaction holds its locks for long.

A full run on PostgreSQL first surveys the whole table in one read-only pass, and recomputes
only the services it finds stale; the others' summary rows are written from the survey
(:func:`queue_recompute`).

A change that moves a queue records a :class:`~triage.models.QueueRecomputeRequest` in its own
transaction (:func:`queue_recompute_on_commit`); the task sent on commit, or else the sweep,
carries it out (:func:`queue_recompute_requested`, :func:`queue_recompute_requests_sweep`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from django.db import connection, transaction
from django.utils import timezone

from triage.models import BacklogSummary, QueueRecomputeRequest, Referral
from triage.services import queue_sql

logger = logging.getLogger(__name__)

# An arbitrary constant naming the recompute's advisory-lock space.
ADVISORY_LOCK_CLASS = 42_101
# Memory for the survey's sort of every open row (a full run's one read of the table): about
# 100 bytes a row, so a national table's sort stays in memory; for that statement only.
SURVEY_WORK_MEM = "1GB"

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
        today = timezone.localdate()
        delete, insert = queue_sql.summary_sql()
        cursor.execute(delete, service)
        if connection.vendor == "postgresql":
            cursor.execute(
                queue_sql.service_sql(),
                queue_sql.service_params(provider_id, treatment_function_id, today),
            )
            result.targets_updated, result.positions_updated = cursor.fetchone()
        else:
            cursor.execute(queue_sql.targets_sql(), service)
            result.targets_updated = _rowcount(cursor)
            cursor.execute(queue_sql.positions_sql(), service)
            result.positions_updated = _rowcount(cursor)
            cursor.execute(
                insert, queue_sql.summary_params(provider_id, treatment_function_id, today)
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
    summaries = BacklogSummary.objects.order_by()
    if provider_ids is not None:
        summaries = summaries.filter(provider_id__in=provider_ids)
    pairs = set(summaries.values_list("provider_id", "treatment_function_id"))
    if provider_ids is None:
        referrals = Referral.objects.order_by().values_list("provider_id", "treatment_function_id")
        return sorted(pairs | set(referrals.distinct()))
    with connection.cursor() as cursor:
        for provider_id in provider_ids:
            cursor.execute(queue_sql.provider_services_sql(), [provider_id, provider_id])
            pairs |= {(provider_id, function) for (function,) in cursor.fetchall()}
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
    service. Idempotent. ``progress(done, total)`` counts providers as each is finished.

    On PostgreSQL a full run first surveys every open row in one sequential pass that writes
    nothing (:func:`_survey`), then recomputes, service by service as ever, only the services
    whose targets or positions it found stale, and writes every other service's backlog
    summary from the survey, a provider per short transaction. A nightly run over a national
    table reads it once instead of once per service."""
    if provider_ids is None and connection.vendor == "postgresql":
        return _recompute_surveyed(progress)
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


def _survey(today) -> tuple[datetime, list[tuple]]:
    """When the survey began (no later than its snapshot), and every service's (provider,
    treatment function, stale, counts…), read in
    one statement with room to sort the table's open rows in memory, and leave to sort them
    in parallel workers where the server has them to spare (the sort is most of the work)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('work_mem', %s, true), set_config('jit', 'off', true), "
            "set_config('parallel_setup_cost', '100', true), "
            "set_config('parallel_tuple_cost', '0.001', true)",
            [SURVEY_WORK_MEM],
        )
        began = timezone.now()
        cursor.execute(queue_sql.survey_sql(), queue_sql.service_params(0, "", today))
        return began, cursor.fetchall()


def _recompute_surveyed(progress) -> RecomputeResult:
    today = timezone.localdate()
    began, survey = _survey(today)
    by_provider: dict[int, list[tuple]] = {}
    for row in survey:
        by_provider.setdefault(row[0], []).append(row)
    # Providers with summary rows left from services since emptied are visited too.
    for provider_id in BacklogSummary.objects.values_list("provider_id", flat=True).distinct():
        by_provider.setdefault(provider_id, [])
    total = RecomputeResult()
    for done, (provider_id, rows) in enumerate(sorted(by_provider.items()), start=1):
        fresh = []
        for _, function, stale, *counts in rows:
            if stale:
                _merge(total, queue_recompute_service(provider_id, function))
            else:
                fresh.append((provider_id, function, today, *counts, began))
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)", [ADVISORY_LOCK_CLASS, provider_id]
            )
            if fresh:
                cursor.execute(
                    queue_sql.summary_upsert_sql(len(fresh)),
                    [value for row in fresh for value in row],
                )
            cursor.execute(
                queue_sql.summary_clear_sql(), [provider_id, [row[1] for row in rows], began]
            )
        total.longest_transaction_seconds = max(
            total.longest_transaction_seconds, time.perf_counter() - started
        )
        total.providers += 1
        if progress is not None:
            progress(done, len(by_provider))
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
