"""The scale benchmark of issue 4, end to end (``python manage.py benchmark``).

Seeds N referrals shaped on NHS England's RTT statistics (:func:`seed_benchmark`, here), then
measures each figure beside its raw-SQL baseline and writes the table to docs/benchmarks.md:
the PTL import (:mod:`~devtools.benchmark.measure_import`), the recompute and backlog counts
(:mod:`~devtools.benchmark.measure_recompute`) and the queue over HTTP
(:mod:`~devtools.benchmark.measure_queue`). PostgreSQL only; run it on a database of its own
(it replaces the referrals there).
"""

from __future__ import annotations

import csv
import time
from pathlib import Path

from django.db import connection

from devtools.benchmark import harness as bm
from devtools.benchmark.measure_contracts import measure_overdue_sweep
from devtools.benchmark.measure_dashboards import measure_dashboards
from devtools.benchmark.measure_import import measure_import
from devtools.benchmark.measure_queue import measure_queue
from devtools.benchmark.measure_recompute import measure_backlog_counts, measure_recompute
from devtools.benchmark.report import Report
from directory.models import Organisation, OrganisationKind

__all__ = [
    "Report",
    "measure_backlog_counts",
    "measure_dashboards",
    "measure_import",
    "measure_overdue_sweep",
    "measure_queue",
    "measure_recompute",
    "seed_benchmark",
]


PRACTICE_LIST_SIZE = 1_200  # referrals per practice: about 7.5M over England's ~6,300 practices
# The busiest practice: large practices hold 3,000-4,000 open referrals, and the GP measured
# sits at one of them (docs/benchmarks.md), whatever the scale.
BUSY_PRACTICE_REFERRALS = 4_000


def _reset_clinical_data() -> None:
    """Empty the clinical tables of this (benchmark) database. TRUNCATE bypasses the audit
    trail's append-only trigger, which guards rows one by one."""
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE triage_referralevent, triage_review, triage_advicerequest, "
            "triage_harmreview, triage_backlogsummary, triage_panelmembership, "
            "triage_reviewpanel, triage_referral, audit_auditevent, audit_auditchainhead, "
            "directory_patient, triage_queuerecomputerequest, "
            "directory_apitoken, django_session RESTART IDENTITY CASCADE"
        )


def _benchmark_directory(n: int) -> tuple[list, list, dict[str, str]]:
    """Organisations shaped on the national list: the largest providers until their real
    pathways reach ``n``; one ICB per NHS England region they sit in; GP practices enough for
    about 1,200 referrals each. Returns (service shapes, demo practices, provider → ICB)."""
    from devtools import demo

    shapes = demo.rtt_shapes()
    totals: dict[str, int] = {}
    for shape in shapes:
        totals[shape.provider_code] = totals.get(shape.provider_code, 0) + shape.pathways
    chosen, running = [], 0
    for code, pathways in sorted(totals.items(), key=lambda item: -item[1]):
        chosen.append(code)
        running += pathways
        if running >= n and len(chosen) >= 3:
            break
    with demo.SHAPE_PATH.open(newline="") as handle:
        meta = {row["provider_code"]: row for row in csv.DictReader(handle)}
    regions = sorted({meta[c]["region_code"] for c in chosen})
    icbs = {}
    for region in regions:
        icbs[region], _ = Organisation.objects.update_or_create(
            ods_code=f"B{region}",
            defaults={"name": f"Benchmark ICB {region}", "kind": OrganisationKind.ICB, "icb": None},
        )
    provider_icbs = {}
    for code in chosen:
        region = meta[code]["region_code"]
        Organisation.objects.update_or_create(
            ods_code=code,
            defaults={
                "name": meta[code]["provider_name"].title(),
                "kind": OrganisationKind.TRUST,
                "icb": icbs[region],
            },
        )
        provider_icbs[code] = f"B{region}"
    weight = dict.fromkeys(regions, 0)
    for code in chosen:
        weight[meta[code]["region_code"]] += totals[code]
    practices = []
    count = max(len(regions) * 4, n // PRACTICE_LIST_SIZE)
    for region in regions:
        share = max(4, round(count * weight[region] / running))
        for i in range(share):
            code = f"BP{region[-2:]}{i:04d}"
            Organisation.objects.update_or_create(
                ods_code=code,
                defaults={
                    "name": f"Benchmark Practice {region} {i}",
                    "kind": OrganisationKind.GP_PRACTICE,
                    "icb": icbs[region],
                },
            )
            # The first practice of the largest region is the busy one the GP is measured at.
            busy = i == 0 and weight[region] == max(weight.values())
            practices.append(
                demo.DemoPractice(
                    code,
                    f"B{region}",
                    weight=BUSY_PRACTICE_REFERRALS / PRACTICE_LIST_SIZE if busy else 1,
                )
            )
    services = [s for s in shapes if s.provider_code in provider_icbs]
    return services, practices, provider_icbs


def seed_benchmark(n: int, *, ptl_rows: int, ptl_path: Path, progress) -> dict:
    """Replace the clinical data with ``n - ptl_rows`` generated referrals, and write the last
    ``ptl_rows`` of the same stream as a PTL file for the import measurement."""
    import itertools

    from devtools import demo

    _reset_clinical_data()
    services, practices, provider_icbs = _benchmark_directory(n)
    # The 999 test range holds about 909,000 valid NHS numbers: past about 1.1 million
    # referrals, patients have more referrals each rather than real numbers being used.
    rows = demo.demo_referrals_generate(
        n,
        seed=2026,
        services=services,
        practices=practices,
        provider_icbs=provider_icbs,
        new_patient_share=min(demo.NEW_PATIENT_SHARE, 880_000 / n),
    )
    started = time.perf_counter()
    result = demo.demo_referrals_write(itertools.islice(rows, n - ptl_rows), progress=progress)
    seconds = time.perf_counter() - started
    with ptl_path.open("w", newline="") as handle:
        demo.write_ptl(rows, handle)
    bm.vacuum_analyze()
    return {
        "referrals": result.referrals,
        "patients": result.patients,
        "seconds": seconds,
        "providers": len(provider_icbs),
        "icbs": len(set(provider_icbs.values())),
        "practices": len(practices),
    }
