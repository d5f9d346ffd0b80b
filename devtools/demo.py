"""Demo and benchmark referrals shaped on NHS England's RTT statistics (see docs/data.md).

``triage/data/rtt_shape.csv`` holds, per provider × treatment function, the number of waiting
pathways and the published wait distribution (share within 18 weeks, median, 92nd percentile,
shares waiting 52, 65 and 78 weeks or more), derived once by ``scripts/derive_rtt_shape.py``.
Waits are drawn from the piecewise-linear distribution through exactly those points, so a
large sample reproduces each service's published median and 92nd percentile.

The generator is pure Python, seeded, and streams rows (memory flat in ``n``); the writer
COPYs them on PostgreSQL and uses ``bulk_create`` on SQLite. ``triage.benchmark_run`` reuses
:func:`demo_referrals_generate` to write PTL files.
"""

from __future__ import annotations

import bisect
import csv
import io
import random
import uuid
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from directory.models import Organisation, Patient, User
from directory.validators import nhs_number_check_digit
from triage.models import (
    DEFERRED_CATEGORIES,
    AdviceDirection,
    AdviceRequest,
    EventKind,
    HarmOutcome,
    HarmReview,
    Referral,
    Status,
)
from triage.services.imports import copy_rows
from triage.services.referrals import queue_fields

SHAPE_PATH = Path(__file__).resolve().parent / "data" / "rtt_shape.csv"
# Demo UBRNs are 12 digits from here up; real e-RS UBRNs are not in this range.
DEMO_UBRN_START = 900_000_000_000
# NHS numbers 999 000 000 0 upwards are the test range: never a real patient's.
NHS_TEST_PREFIX = 999_000_000
# March 2026 shows almost no waits past 78 weeks and none past 104; the demo keeps a small tail
# (0.25% past 104 weeks, 0.5% past 78) so the long-wait and harm-review screens have patients.
DEMO_SHARE_104_PLUS = 0.0025
DEMO_FLOOR_78_PLUS = 0.005
LONGEST_WAIT_WEEKS = 130
TAIL_EVERY = 400
# Patients per referral (PRODUCT.md: ~0.8; some patients wait on two pathways).
NEW_PATIENT_SHARE = 0.8
# A second referral goes to one of this many most recent patients (keeps memory flat).
RECENT_PATIENTS = 5_000


@dataclass(frozen=True)
class ServiceShape:
    """One service's share of the list and its wait distribution (weeks at cumulative share)."""

    provider_code: str
    treatment_function: str
    pathways: int
    probabilities: tuple[float, ...]
    weeks: tuple[float, ...]

    def wait_days(self, u: float) -> int:
        """The wait at cumulative share ``u`` (0 ≤ u < 1), in whole days."""
        i = bisect.bisect_right(self.probabilities, u) - 1
        i = min(max(i, 0), len(self.probabilities) - 2)
        p0, p1 = self.probabilities[i], self.probabilities[i + 1]
        w0, w1 = self.weeks[i], self.weeks[i + 1]
        weeks = w0 + (u - p0) / (p1 - p0) * (w1 - w0) if p1 > p0 else w0
        return int(weeks * 7)


def _knots(row: dict[str, str]) -> tuple[tuple[float, ...], tuple[float, ...]]:
    s78 = max(float(row["share_78_plus"]), DEMO_FLOOR_78_PLUS)
    s65 = max(float(row["share_65_plus"]), s78)
    s52 = max(float(row["share_52_plus"]), s65)
    points = sorted(
        [
            (0.0, 0.0),
            (float(row["share_within_18"]), 18.0),
            (0.5, float(row["median_weeks"])),
            (0.92, float(row["p92_weeks"])),
            (1 - s52, 52.0),
            (1 - s65, 65.0),
            (1 - s78, 78.0),
            (1 - DEMO_SHARE_104_PLUS, 104.0),
            (1.0, float(LONGEST_WAIT_WEEKS)),
        ]
    )
    # Published figures are rounded: keep the distribution monotone by dropping any point
    # that would make the wait fall as the share rises.
    kept = [points[0]]
    for p, w in points[1:]:
        if p > kept[-1][0] and w >= kept[-1][1]:
            kept.append((p, w))
    if kept[-1][0] < 1.0:
        kept.append((1.0, float(LONGEST_WAIT_WEEKS)))
    return tuple(p for p, _ in kept), tuple(w for _, w in kept)


def rtt_shapes(provider_codes: Sequence[str] | None = None) -> list[ServiceShape]:
    """Service shapes from ``triage/data/rtt_shape.csv``, optionally for some providers only."""
    wanted = set(provider_codes) if provider_codes is not None else None
    shapes = []
    with SHAPE_PATH.open(newline="") as handle:
        for row in csv.DictReader(handle):
            if wanted is not None and row["provider_code"] not in wanted:
                continue
            probabilities, weeks = _knots(row)
            shapes.append(
                ServiceShape(
                    row["provider_code"],
                    row["treatment_function"],
                    int(row["pathways"]),
                    probabilities,
                    weeks,
                )
            )
    return shapes


def shape_for(shape: ServiceShape, *, provider_code: str, share: float) -> ServiceShape:
    """A trust's service shape lent to another provider (community services are not in the RTT
    provider tables), with ``share`` of its pathways."""
    return ServiceShape(
        provider_code,
        shape.treatment_function,
        max(1, int(shape.pathways * share)),
        shape.probabilities,
        shape.weeks,
    )


def nhs_test_numbers(start: int = 0) -> Iterator[str]:
    """Valid NHS numbers of the 999 test range, in order, from the ``start``-th nine-digit
    prefix; prefixes with no valid Modulus 11 check digit are skipped."""
    k = start
    while k < 1_000_000:
        prefix = str(NHS_TEST_PREFIX + k)
        k += 1
        digit = nhs_number_check_digit(prefix)
        if digit is not None:
            yield f"{prefix}{digit}"
    raise ValueError("the 999 test range of NHS numbers is used up")


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FAMILY_NAMES = _words(
    "Smith Jones Taylor Brown Williams Wilson Johnson Davies Patel Robinson Wright Thompson "
    "Evans Walker White Roberts Green Hall Wood Jackson Clarke Khan Ahmed Ali Begum Hussain "
    "Okafor Mensah Adeyemi Nowak Kowalski Silva Santos Murphy Kelly O'Brien Chen Wong Singh "
    "Kaur Sharma Das Rahman Uddin Miah Hughes Edwards Lewis Harris Martin Cooper Ward Morris"
)
GIVEN_NAMES = _words(
    "Oliver George Harry Jack Noah Mohammed Muhammad Leo Arthur Oscar James William Thomas "
    "Olivia Amelia Isla Ava Mia Grace Sophia Lily Freya Fatima Aisha Maryam Zainab Amara "
    "Margaret Patricia Susan Jean Barbara Linda Elizabeth Mary Ann John David Peter Michael "
    "Robert Paul Stephen Ivy Florence Rose Ruby Evie Ahmed Ibrahim Yusuf Chloe Emily Priya"
)
REASONS = {
    "100": ("Inguinal hernia, increasingly symptomatic", "Gallstones with recurrent biliary colic"),
    "101": ("Raised PSA on two readings", "Lower urinary tract symptoms, failed medical therapy"),
    "110": (
        "Right knee osteoarthritis, failed physiotherapy",
        "Left hip pain, limiting walking to 100 yards",
        "Carpal tunnel syndrome, nerve conduction confirmed",
    ),
    "120": ("Recurrent tonsillitis, seven episodes this year", "Unilateral hearing loss"),
    "130": ("Cataract, both eyes, struggling to drive at night", "Raised intraocular pressure"),
    "140": ("Impacted wisdom tooth, recurrent pericoronitis",),
    "150": ("Lumbar radiculopathy, MRI shows disc prolapse",),
    "160": ("Basal cell carcinoma on the nose",),
    "170": ("Aortic stenosis, increasing breathlessness",),
    "300": ("Unexplained weight loss and fatigue",),
    "301": ("Iron deficiency anaemia, no obvious cause", "Change in bowel habit"),
    "320": ("Palpitations, Holter shows paroxysmal AF", "Exertional chest tightness"),
    "330": ("Changing pigmented lesion on the back", "Severe eczema, failed topical therapy"),
    "340": ("Chronic cough, normal chest X-ray", "Suspected obstructive sleep apnoea"),
    "400": ("New daily persistent headache", "Tremor affecting handwriting"),
    "410": ("Inflammatory joint pain, raised CRP",),
    "430": ("Falls and increasing frailty",),
    "502": ("Postmenopausal bleeding", "Heavy menstrual bleeding, failed medical therapy"),
}
QUESTIONS = (
    "Has the patient had a plain X-ray in the last year? Please attach the report.",
    "Could you confirm current medication and any anticoagulation?",
    "Has a trial of conservative management been completed? For how long?",
    "Please send the most recent blood results (FBC, U&E, HbA1c).",
)
# Categories a reviewer gives, by the referrer's priority (weights sum to 100).
REVIEWED_CATEGORY_WEIGHTS = {
    "routine": (("P4", 68), ("P3", 27), ("P2", 5)),
    "urgent": (("P2", 62), ("P3", 25), ("P1b", 10), ("P1a", 3)),
    "two_week_wait": (("P2", 85), ("P1b", 15)),
}


@dataclass
class DemoPractice:
    ods_code: str
    icb: str
    weight: int = 1


@dataclass
class _Patient:
    nhs_number: str
    family_name: str
    given_name: str
    date_of_birth: date
    practice: str
    referrals: int = field(default=0)


def _cumulative(weights: Sequence[float]) -> list[float]:
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return out


def demo_referrals_generate(
    n: int,
    *,
    seed: int = 2026,
    services: Sequence[ServiceShape],
    practices: Sequence[DemoPractice],
    provider_icbs: dict[str, str],
    today: date | None = None,
    ubrn_start: int = DEMO_UBRN_START,
    first_patient: int = 0,
    new_patient_share: float = NEW_PATIENT_SHARE,
) -> Iterator[dict]:
    """Yield ``n`` referral rows: the PTL columns (``triage.services.imports.PTL_COLUMNS``, as
    Python values; ``category`` "" when unreviewed) and the workflow fields a seeded referral
    carries (status, deferral, booking, DNA), plus ``new_patient`` for the first row of each
    patient. Same arguments, same rows."""
    rng = random.Random(seed)
    today = today or timezone.localdate()
    service_cum = _cumulative([s.pathways for s in services])
    by_icb: dict[str, list[DemoPractice]] = {}
    for practice in practices:
        by_icb.setdefault(practice.icb, []).append(practice)
    practice_cum = {icb: _cumulative([p.weight for p in ps]) for icb, ps in by_icb.items()}
    all_cum = _cumulative([p.weight for p in practices])
    category_cum = {
        priority: ([c for c, _ in weights], _cumulative([w for _, w in weights]))
        for priority, weights in REVIEWED_CATEGORY_WEIGHTS.items()
    }
    numbers = nhs_test_numbers(first_patient)
    recent: deque[_Patient] = deque(maxlen=RECENT_PATIENTS)

    def pick(cum: list[float], items: Sequence):
        return items[bisect.bisect_right(cum, rng.random() * cum[-1])]

    for i in range(n):
        service = pick(service_cum, services)
        icb = provider_icbs.get(service.provider_code)
        if recent and rng.random() >= new_patient_share:
            patient, new_patient = rng.choice(recent), False
        else:
            if icb in by_icb and rng.random() < 0.9:
                practice = pick(practice_cum[icb], by_icb[icb])
            else:
                practice = pick(all_cum, practices)
            age_days = int(rng.triangular(18, 96, 68) * 365.25)
            patient = _Patient(
                next(numbers),
                rng.choice(FAMILY_NAMES),
                rng.choice(GIVEN_NAMES),
                today - timedelta(days=age_days),
                practice.ods_code,
            )
            recent.append(patient)
            new_patient = True
        u = rng.random()
        priority = "two_week_wait" if u < 0.05 else "urgent" if u < 0.22 else "routine"
        if i % TAIL_EVERY == TAIL_EVERY // 2:
            # One referral in every TAIL_EVERY sits in the 104+ week tail, whatever the size.
            priority = "routine"
            waited = service.wait_days(1 - DEMO_SHARE_104_PLUS * rng.random())
        elif priority == "two_week_wait":
            waited = rng.randint(0, 40)
        else:
            waited = service.wait_days(rng.random())
        clock_start = today - timedelta(days=waited)
        reviewed = rng.random() < (
            0.9 if priority == "two_week_wait" else 0.3 if waited < 14 else 0.8
        )
        row = {
            "ubrn": f"{ubrn_start + i:012d}",
            "nhs_number": patient.nhs_number,
            "family_name": patient.family_name,
            "given_name": patient.given_name,
            "date_of_birth": patient.date_of_birth,
            "registered_practice": patient.practice,
            "provider": service.provider_code,
            "treatment_function": service.treatment_function,
            "priority": priority,
            "clock_start": clock_start,
            "category": "",
            "reason": rng.choice(REASONS.get(service.treatment_function, ("Specialist opinion",))),
            "status": Status.AWAITING_REVIEW,
            "deferred": False,
            "contact_on": None,
            "appointment_on": None,
            "appointments_booked": 0,
            "dna_count": 0,
            "awaiting_rebook": False,
            "clock_restart_pending": False,
            "new_patient": new_patient,
        }
        if not reviewed:
            if rng.random() < 0.1:
                row["status"] = Status.UNDER_REVIEW
        elif priority != "two_week_wait" and rng.random() < 0.03:
            # The patient chose to wait (P5 Covid concern, P6 other reason).
            row.update(
                category="P5" if rng.random() < 0.3 else "P6",
                status=Status.ACCEPTED,
                deferred=True,
                contact_on=today + timedelta(days=rng.randint(7, 120)),
            )
        else:
            names, cum = category_cum[priority]
            row["category"] = pick(cum, names)
            v = rng.random()
            if v < 0.05:
                row["status"] = Status.ADVICE_REQUESTED
            elif v < 0.10:
                # Did not attend the first appointment: to rebook; the clock restarts then.
                row.update(
                    status=Status.ACCEPTED,
                    appointments_booked=1,
                    dna_count=1,
                    awaiting_rebook=True,
                    clock_restart_pending=True,
                )
            elif v < 0.45:
                row.update(
                    status=Status.BOOKED,
                    appointment_on=today + timedelta(days=rng.randint(1, 56)),
                    appointments_booked=1,
                )
            else:
                row["status"] = Status.ACCEPTED
        yield row


@dataclass
class DemoWriteResult:
    referrals: int = 0
    patients: int = 0
    first_referral_id: int = 0


def _next_id(model) -> int:
    return (model.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1


def _reset_sequence(cursor, model) -> None:
    if connection.vendor == "postgresql":
        table = model._meta.db_table
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
            f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
        )


def demo_referrals_write(
    rows: Iterator[dict],
    *,
    seed: int = 2026,
    chunk_size: int = 10_000,
    panel_for_service: dict[tuple[int, str], int] | None = None,
    clinician_for_practice: dict[int, int] | None = None,
    progress: Callable[[int], None] | None = None,
) -> DemoWriteResult:
    """Write generated rows: COPY on PostgreSQL, ``bulk_create`` on SQLite, in chunks, with
    explicit ids; then each new referral's 'created' and 'clock' history, set-based."""
    rng = random.Random(seed + 1)
    organisations = dict(Organisation.objects.values_list("ods_code", "id"))
    panel_for_service = panel_for_service or {}
    clinician_for_practice = clinician_for_practice or {}
    referral_columns = [f.column for f in Referral._meta.concrete_fields]
    patient_columns = [f.column for f in Patient._meta.concrete_fields]
    result = DemoWriteResult()
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        patient_id = _next_id(Patient)
        referral_id = result.first_referral_id = _next_id(Referral)
        patient_ids: dict[str, int] = {}
        recent: deque[str] = deque()
        while True:
            patients, referrals = [], []
            for row in _take(rows, chunk_size):
                if row["new_patient"]:
                    pid = patient_ids[row["nhs_number"]] = patient_id
                    # Memory flat in n: the generator only ever reuses a recent patient.
                    recent.append(row["nhs_number"])
                    if len(recent) > RECENT_PATIENTS:
                        del patient_ids[recent.popleft()]
                    patient_id += 1
                    patients.append(
                        {
                            "id": pid,
                            "uuid": uuid.UUID(int=rng.getrandbits(128), version=4),
                            "nhs_number": row["nhs_number"],
                            "family_name": row["family_name"],
                            "given_name": row["given_name"],
                            "date_of_birth": row["date_of_birth"],
                            "registered_practice_id": organisations[row["registered_practice"]],
                        }
                    )
                practice_id = organisations[row["registered_practice"]]
                provider_id = organisations[row["provider"]]
                category = row["category"] or None
                fields = queue_fields(
                    category=category, priority=row["priority"], clock_start=row["clock_start"]
                )
                referrals.append(
                    {
                        **dict.fromkeys(referral_columns),
                        "id": referral_id,
                        "uuid": uuid.UUID(int=rng.getrandbits(128), version=4),
                        "ubrn": row["ubrn"],
                        "external_id": "",
                        "patient_id": patient_ids[row["nhs_number"]],
                        "referring_practice_id": practice_id,
                        "referring_clinician_id": clinician_for_practice.get(practice_id),
                        "provider_id": provider_id,
                        "treatment_function_id": row["treatment_function"],
                        "priority": row["priority"],
                        "clock_start": row["clock_start"],
                        "reason": row["reason"],
                        "status": str(row["status"]),
                        "category": category,
                        "panel_id": panel_for_service.get((provider_id, row["treatment_function"])),
                        "deferred": row["deferred"],
                        "contact_on": row["contact_on"],
                        "appointment_on": row["appointment_on"],
                        "appointments_booked": row["appointments_booked"],
                        "dna_count": row["dna_count"],
                        "awaiting_rebook": row["awaiting_rebook"],
                        "clock_restart_pending": row["clock_restart_pending"],
                        "version": 1,
                        "created_at": now,
                        "updated_at": now,
                        **fields,
                    }
                )
                referral_id += 1
            if not referrals:
                break
            _write_chunk(cursor, patients, patient_columns, referrals, referral_columns)
            result.patients += len(patients)
            result.referrals += len(referrals)
            if progress:
                progress(len(referrals))
        _reset_sequence(cursor, Patient)
        _reset_sequence(cursor, Referral)
        _history_for(cursor, result.first_referral_id, now)
    return result


def _take(rows: Iterator[dict], size: int) -> Iterator[dict]:
    for _ in range(size):
        try:
            yield next(rows)
        except StopIteration:
            return


def _write_chunk(cursor, patients, patient_columns, referrals, referral_columns) -> None:
    if connection.vendor == "postgresql":
        copy_rows(
            cursor,
            "directory_patient",
            patient_columns,
            ([p[c] for c in patient_columns] for p in patients),
        )
        copy_rows(
            cursor,
            "triage_referral",
            referral_columns,
            ([r[c] for c in referral_columns] for r in referrals),
        )
        return
    Patient.objects.bulk_create(Patient(**p) for p in patients)
    attnames = {f.column: f.attname for f in Referral._meta.concrete_fields}
    Referral.objects.bulk_create(
        Referral(**{attnames[c]: v for c, v in r.items()}) for r in referrals
    )


def _history_for(cursor, first_referral_id: int, at) -> None:
    """The 'created' and 'clock' events of every referral from ``first_referral_id``."""
    columns = (
        "referral_id, at, actor_id, kind, from_status, to_status, clock_start_before, "
        "clock_start_after, note"
    )
    cursor.execute(
        f"""INSERT INTO triage_referralevent ({columns})
        SELECT id, %s, NULL, '{EventKind.CREATED}', '', '{Status.AWAITING_REVIEW}', NULL, NULL,
               'Received by e-RS'
        FROM triage_referral WHERE id >= %s ORDER BY id""",  # noqa: S608
        [at, first_referral_id],
    )
    cursor.execute(
        f"""INSERT INTO triage_referralevent ({columns})
        SELECT id, %s, NULL, '{EventKind.CLOCK}', '', '', NULL, clock_start, 'RTT clock started'
        FROM triage_referral WHERE id >= %s ORDER BY id""",  # noqa: S608
        [at, first_referral_id],
    )


def demo_advice_requests(*, first_referral_id: int, asked_by: dict[int, int]) -> int:
    """An advice request awaiting the GP's reply for each referral in ``advice_requested``."""
    rng = random.Random(7)
    made = 0
    pending = (
        Referral.objects.filter(id__gte=first_referral_id, status=Status.ADVICE_REQUESTED)
        .order_by("id")
        .values_list(
            "id", "patient_id", "referring_practice_id", "provider_id", "treatment_function_id"
        )
    )
    batch: list[AdviceRequest] = []
    for referral_id, patient_id, practice_id, provider_id, function in pending.iterator(5_000):
        asker = asked_by.get(provider_id)
        if asker is None:
            continue
        batch.append(
            AdviceRequest(
                direction=AdviceDirection.TO_GP,
                referral_id=referral_id,
                patient_id=patient_id,
                practice_id=practice_id,
                provider_id=provider_id,
                treatment_function_id=function,
                question=rng.choice(QUESTIONS),
                asked_by_id=asker,
            )
        )
        if len(batch) >= 5_000:
            AdviceRequest.objects.bulk_create(batch)
            made += len(batch)
            batch = []
    AdviceRequest.objects.bulk_create(batch)
    return made + len(batch)


def demo_harm_reviews(*, provider: Organisation, reviewer: User, count: int = 8) -> int:
    """A few recorded harm reviews of long waits (the rest stay due)."""
    today = timezone.localdate()
    long_waits = Referral.objects.filter(
        provider=provider,
        status__in=(Status.ACCEPTED, Status.BOOKED),
        clock_start__lte=today - timedelta(days=364),
        harm_reviews__isnull=True,
    ).exclude(category__in=DEFERRED_CATEGORIES)[:count]
    reviews = [
        HarmReview(
            referral=referral,
            reviewer=reviewer,
            outcome=HarmOutcome.NO_HARM,
            notes="Telephone review: symptoms stable, no new red flags; stays on the list.",
        )
        for referral in long_waits
    ]
    HarmReview.objects.bulk_create(reviews)
    return len(reviews)


def write_ptl(rows: Iterator[dict], handle: io.TextIOBase) -> int:
    """Write generated rows as a PTL extract (the columns ``import_referrals`` reads)."""
    from triage.services.imports import PTL_COLUMNS

    writer = csv.writer(handle)
    writer.writerow(PTL_COLUMNS)
    count = 0
    for row in rows:
        writer.writerow([row[c] for c in PTL_COLUMNS])
        count += 1
    return count
