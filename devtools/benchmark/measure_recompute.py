"""What the recompute maintains, measured: a full recompute through a real Celery worker (time,
locks, idempotence, table bloat, positions right), and the backlog counts read from the summary
it keeps (time, and equal to a live count)."""

from __future__ import annotations

import contextlib
import os
import time
import uuid
from collections.abc import Iterator
from datetime import timedelta

from celery.app.backends import by_url
from celery.result import AsyncResult
from django.db import connection
from django.test.utils import CaptureQueriesContext

from devtools.benchmark import harness as bm
from devtools.benchmark.report import Report, verdict
from devtools.benchmark.subjects import bench_users
from triage.models import OPEN_STATUSES, BacklogSummary
from triage.selectors.backlog import backlog_totals
from triage.tasks import queue_recompute_task

# The open statuses as an SQL list, from the one definition in triage.models. The SQL here is
# built only from it and integers (S608).
OPEN_SQL = "(" + ", ".join(f"'{status}'" for status in OPEN_STATUSES) + ")"


@contextlib.contextmanager
def _worker_keeping_results(*, broker: str, queue: str) -> Iterator[object]:
    """The benchmark's own worker, given a result store (Redis, beside the broker) for this
    measurement alone: the app keeps none (``CELERY_TASK_IGNORE_RESULT``), but the figures
    below are the task's own account of its run. Celery reads ``CELERY_RESULT_BACKEND`` from
    the environment, so only the worker started here sees it. Yields the store to read from."""
    from interface.celery import app

    saved = os.environ.get("CELERY_RESULT_BACKEND")
    os.environ["CELERY_RESULT_BACKEND"] = broker
    try:
        with bm.celery_worker(broker=broker, queue=queue):
            _restore_environment("CELERY_RESULT_BACKEND", saved)
            backend_class, url = by_url(broker, app.loader)
            yield backend_class(app=app, url=url)
    finally:
        _restore_environment("CELERY_RESULT_BACKEND", saved)


def _restore_environment(name: str, value: str | None) -> None:
    if value is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = value


def _recompute_through_worker(*, queue: str, results) -> dict:
    """Run the full recompute on the worker and wait for its result (kept for this call only:
    the task's ``ignore_result`` is lifted in the message)."""
    sent = queue_recompute_task.apply_async(queue=queue, ignore_result=False)
    return AsyncResult(sent.id, backend=results).get(timeout=3600)


def measure_recompute(report: Report, *, stdout) -> None:
    broker = os.environ.get("CELERY_BROKER_URL", "")
    if not broker.startswith("redis://"):
        report.notes.append(
            "recompute through a worker not measured: set CELERY_BROKER_URL to Redis"
        )
        return
    from interface.celery import app

    queue = f"interface-bench-{uuid.uuid4().hex[:8]}"
    size_before = bm.table_size("triage_referral")
    app.conf.task_always_eager = False
    try:
        with _worker_keeping_results(broker=broker, queue=queue) as results:
            runs = []
            for _ in range(3):
                start = time.perf_counter()
                result = _recompute_through_worker(queue=queue, results=results)
                runs.append((time.perf_counter() - start, result))
    finally:
        app.conf.task_always_eager = True
    size_after = bm.table_size("triage_referral")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM (SELECT row_number() OVER (PARTITION BY provider_id, treatment_function_id "
            "ORDER BY target_date, urgency_rank, clock_start, id) AS pos, position FROM triage_referral "
            f"WHERE status IN {OPEN_SQL} "
            "AND NOT deferred) s WHERE s.pos IS DISTINCT FROM s.position"
        )
        wrong = cursor.fetchone()[0]
    seconds = [r[0] for r in runs]
    longest = max(r[1]["longest_transaction_seconds"] for r in runs)
    report.add(
        "full recompute through a real Celery worker (s; runs 1, 2, 3)",
        " / ".join(f"{s:.1f}" for s in seconds),
        "",
        "≤ 5 s at 1M",
        verdict(max(seconds[1:]) <= 5 * max(1.0, report.referrals / 1_000_000)),
    )
    report.add(
        "longest transaction holding locks during recompute (s)",
        f"{longest:.2f}",
        "",
        "≤ 5 s",
        verdict(longest <= 5),
    )
    report.add(
        "rows written by the 2nd and 3rd runs (idempotent)",
        f"{runs[1][1]['targets_updated'] + runs[1][1]['positions_updated']} / "
        f"{runs[2][1]['targets_updated'] + runs[2][1]['positions_updated']}",
        "",
        "0",
        verdict(all(r[1]["targets_updated"] + r[1]["positions_updated"] == 0 for r in runs[1:])),
    )
    report.add(
        "referral table size before → after 3 runs (MB); positions wrong after",
        f"{size_before / 2**20:.0f} → {size_after / 2**20:.0f}; {wrong}",
        "",
        "stable; 0",
        verdict(size_after <= size_before * 1.05 and wrong == 0),
    )
    stdout.write(f"  recompute: {seconds}\n")
    _measure_service_recompute(report, stdout=stdout)


def _measure_service_recompute(report: Report, *, stdout) -> None:
    """One service's recomputation after a change to one of its referrals (the task a review
    sends), for the largest service and one of median size: ms p50/p95/p99 of 20 runs."""
    from django.db.models import Count

    from triage.models import QUEUE_Q, Referral
    from triage.services.queue import queue_recompute_service

    sizes = list(
        Referral.objects.filter(QUEUE_Q)
        .values_list("provider_id", "treatment_function_id")
        .annotate(n=Count("id"))
        .order_by("-n")
    )
    if not sizes:
        return
    for name, (provider_id, function, size) in (
        ("largest", sizes[0]),
        ("median", sizes[len(sizes) // 2]),
    ):
        referral = Referral.objects.filter(
            QUEUE_Q, provider_id=provider_id, treatment_function_id=function
        ).first()

        timing = bm.Timing()
        for _ in range(20):
            # A change that moves the referral in its queue (its clock start a day earlier),
            # timed; then put back and recomputed again, untimed.
            Referral.objects.filter(pk=referral.pk).update(
                clock_start=referral.clock_start - timedelta(days=1)
            )
            start = time.perf_counter()
            queue_recompute_service(provider_id, function)
            timing.samples.append((time.perf_counter() - start) * 1000)
            Referral.objects.filter(pk=referral.pk).update(clock_start=referral.clock_start)
            queue_recompute_service(provider_id, function)
        report.add(
            f"one service's recompute after a change, {name} service ({size:,} open "
            "referrals; ms p50/p95/p99)",
            timing.summary(),
            "",
            "< 50 ms",
            verdict(timing.p95 < 50),
        )
        stdout.write(f"  service recompute {name} ({size}): {timing.summary()}\n")


def _live_open_count_sql(provider_id: int | None = None) -> str:
    """A live COUNT of open referrals, all or one provider's: what the summary must equal."""
    scope = f" AND provider_id = {int(provider_id)}" if provider_id is not None else ""
    return f"SELECT count(*) FROM triage_referral WHERE status IN {OPEN_SQL}{scope}"


def measure_backlog_counts(report: Report, *, runs: int, stdout) -> None:
    _, _, _, _, provider, _ = bench_users()
    everything = BacklogSummary.objects.all()
    cases = {"all providers": {}, "one provider": {"provider_ods": provider.ods_code}}
    targets = {"all providers": 50, "one provider": 10}
    for name, kwargs in cases.items():
        app = bm.time_calls(lambda kwargs=kwargs: backlog_totals(everything, **kwargs), runs=runs)
        with CaptureQueriesContext(connection) as captured:
            backlog_totals(everything, **kwargs)
        raw = bm.raw_sql_timing(captured.captured_queries[-1]["sql"], runs=runs)
        live_sql = _live_open_count_sql(provider.pk if kwargs else None)
        live = bm.raw_sql_timing(live_sql, runs=max(5, runs // 20))
        report.add(
            f"backlog counts, {name} (ms p50/p95/p99)",
            app.summary(),
            f"{raw.summary()} (same SQL); live COUNT {live.summary()}",
            f"p95 ≤ {targets[name]} ms",
            verdict(app.p95 <= targets[name]),
        )
        stdout.write(
            f"  backlog {name}: app {app.summary()} raw {raw.summary()} live {live.summary()}\n"
        )
    with connection.cursor() as cursor:
        cursor.execute(_live_open_count_sql())
        live_open = cursor.fetchone()[0]
    summary_open = backlog_totals(everything)["open_referrals"]
    report.add(
        "summary open referrals = live count",
        f"{summary_open:,} = {live_open:,}",
        "",
        "exact",
        verdict(summary_open == live_open),
    )
