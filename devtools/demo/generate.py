"""Demo referral rows, generated: seeded, pure Python, streamed (memory flat in ``n``).

Rows are drawn on the service shapes of :mod:`devtools.demo.shape`; :func:`write_ptl` writes
them as a PTL extract, which the benchmark imports.
"""

from __future__ import annotations

import bisect
import csv
import io
import random
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone

from devtools.demo.shape import DEMO_SHARE_104_PLUS, ServiceShape
from directory.validators import nhs_number_check_digit
from triage.models import Status

# Demo UBRNs are 12 digits from here up; real e-RS UBRNs are not in this range.
DEMO_UBRN_START = 900_000_000_000
# NHS numbers 999 000 000 0 upwards are the test range: never a real patient's.
NHS_TEST_PREFIX = 999_000_000
# One referral in every TAIL_EVERY is drawn from the tail past 104 weeks.
TAIL_EVERY = 400
# Patients per referral (docs/product.md: ~0.8; some patients wait on two pathways).
NEW_PATIENT_SHARE = 0.8
# A second referral goes to one of this many most recent patients (keeps memory flat).
RECENT_PATIENTS = 5_000


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
    weight: float = 1


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
