"""Demo diagnostics (docs/diagnostics.md, "The demo"): six weeks of capacity at the two demo
hubs, three weeks past and three to come, and tests that give every role something real to do.

- The demo GP, consultant and community clinician each asked for tests for their patients
  (the GP's and the consultant's linked to the patient's referral to Barts): some to come, some
  attended with results, one did not attend.
- Results: some acknowledged; some abnormal and unacknowledged, past their alert time, so
  ``run_sweeps`` raises alerts; some recent and unacknowledged (each requester's results
  worklist); a couple of transfers of responsibility offered (GP to consultant, consultant to
  GP).
- Today at Mile End (the hub user ``diagnostics``): patients still to attend, and tests attended
  whose result is still to record.
- A few requests made over six weeks ago and still waiting, for the DM01 figures.

Written in bulk (the services refuse a slot or a booking in the past, as they should); each
slot's ``booked`` count is set from its bookings, as the services keep it. Loaded only when the
demo hubs have no slots yet, so ``seed_demo`` stays safe to run again.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from diagnostics.models import Booking, BookingStatus, Result, Slot, TestType
from directory.models import Organisation, User
from triage.models import OPEN_STATUSES, Referral

HUBS = ("DMILE1", "DWEMB1")
RESULTS_HUB = "DMILE1"  # the demo's hub user works here, and records every demo result
WEEKS_EACH_WAY = 3
# (SNOMED CT code, first start, last start, minutes apart, places per slot) on each weekday.
SCHEDULE = (
    ("26604007", time(8, 30), time(11, 45), 15, 3),  # full blood count
    ("43396009", time(8, 30), time(11, 45), 15, 2),  # HbA1c
    ("29303009", time(9, 0), time(12, 0), 20, 1),  # ECG
    ("127783003", time(13, 0), time(16, 0), 30, 1),  # spirometry
    ("399208008", time(9, 0), time(12, 0), 10, 1),  # chest X-ray
    ("45036003", time(13, 0), time(16, 20), 20, 1),  # abdominal ultrasound
    ("40701008", time(13, 30), time(16, 0), 45, 1),  # echocardiogram
)
REASONS = {
    "26604007": "Tired all the time; pale. Check for anaemia.",
    "43396009": "Annual diabetes review.",
    "29303009": "Palpitations on exertion.",
    "127783003": "Breathless on stairs; smoker. Query COPD.",
    "399208008": "Cough for six weeks.",
    "45036003": "Right upper quadrant pain after meals.",
    "40701008": "New murmur; ankle swelling.",
}
# (code, abnormal, summary, value, unit)
FINDINGS = {
    "26604007": (
        (True, "Haemoglobin low; microcytic picture. Suggest ferritin.", "92", "g/L"),
        (False, "Full blood count within the reference ranges.", "138", "g/L"),
    ),
    "43396009": (
        (True, "HbA1c above target.", "71", "mmol/mol"),
        (False, "HbA1c at target.", "46", "mmol/mol"),
    ),
    "29303009": (
        (True, "Atrial fibrillation, ventricular rate about 110.", "", ""),
        (False, "Sinus rhythm, normal ECG.", "", ""),
    ),
    "127783003": (
        (True, "Obstructive picture: FEV1/FVC 0.62, no reversibility.", "0.62", "ratio"),
        (False, "Normal spirometry.", "0.81", "ratio"),
    ),
    "399208008": (
        (True, "Right upper lobe opacity: CT chest advised.", "", ""),
        (False, "Clear lung fields.", "", ""),
    ),
    "45036003": (
        (True, "Gallstones with a thickened gallbladder wall.", "", ""),
        (False, "Normal abdominal ultrasound.", "", ""),
    ),
    "40701008": (
        (True, "Moderate aortic stenosis; ejection fraction 45%.", "45", "%"),
        (False, "Normal biventricular function.", "60", "%"),
    ),
}


@dataclass
class _Plan:
    """The demo's slots by (hub, code, local day), and the places left in each."""

    slots: dict[tuple[int, str, date], list[Slot]]
    free: dict[int, int]

    def take(self, hub: Organisation, code: str, day: date, rng: random.Random) -> Slot | None:
        candidates = [s for s in self.slots.get((hub.pk, code, day), []) if self.free[s.pk] > 0]
        if not candidates:
            return None
        slot = rng.choice(candidates)
        self.free[slot.pk] -= 1
        return slot


def demo_diagnostics(*, organisations: dict, users: dict, seed: int) -> str:
    hubs = [organisations[code] for code in HUBS if code in organisations]
    if not hubs:
        return "Diagnostics: no demo hubs; nothing loaded."
    if Slot.objects.filter(hub__in=hubs).exists():
        return "Demo diagnostics already loaded; left as they are."
    rng = random.Random(seed)
    now = timezone.now().replace(second=0, microsecond=0)
    types = {t.code: t for t in TestType.objects.filter(code__in=[row[0] for row in SCHEDULE])}
    with transaction.atomic():
        plan = _slots(hubs, types, users["diagnostics"], now)
        bookings, results = _tests(plan, organisations, users, types, now, rng)
        _count_booked(hubs)
    return (
        f"Loaded diagnostics: {sum(len(v) for v in plan.slots.values()):,} slots at "
        f"{len(hubs)} hubs, {bookings} tests requested, {results} results."
    )


def _slots(hubs, types, creator: User, now: datetime) -> _Plan:
    today = timezone.localdate(now)
    monday = today - timedelta(days=today.weekday())
    days = [
        monday + timedelta(days=n)
        for n in range(-7 * WEEKS_EACH_WAY, 7 * (WEEKS_EACH_WAY + 1))
        if (monday + timedelta(days=n)).weekday() < 5
    ]
    rows = []
    for hub in hubs:
        for day in days:
            for code, first, last, minutes, places in SCHEDULE:
                if code not in types:
                    continue
                at = datetime.combine(day, first)
                while at.time() <= last:
                    rows.append((hub, types[code], timezone.make_aware(at), places))
                    at += timedelta(minutes=minutes)
        # Today, whatever the hour: appointments already under way and some still to come.
        for minutes in (-150, -95, -50, 70, 130):
            at = now + timedelta(minutes=minutes)
            if timezone.localdate(at) == today:
                rows.append((hub, types["29303009"], at.replace(minute=at.minute // 5 * 5), 2))
    seen: set[tuple] = set()
    slots = []
    for hub, test_type, starts_at, places in rows:
        key = (hub.pk, test_type.pk, starts_at)
        if key not in seen:
            seen.add(key)
            slots.append(
                Slot(
                    hub=hub,
                    test_type=test_type,
                    starts_at=starts_at,
                    capacity=places,
                    created_by=creator,
                    created_at=now - timedelta(days=7 * WEEKS_EACH_WAY + 7),
                )
            )
    Slot.objects.bulk_create(slots, batch_size=2_000)
    by_key: dict[tuple[int, str, date], list[Slot]] = {}
    free = {}
    saved = Slot.objects.filter(hub__in=hubs).select_related("test_type")
    for slot in saved:
        key = (slot.hub_id, slot.test_type.code, timezone.localdate(slot.starts_at))
        by_key.setdefault(key, []).append(slot)
        free[slot.pk] = slot.capacity
    return _Plan(slots=by_key, free=free)


def _patients(filters: Q, limit: int) -> list[tuple[int, int]]:
    """(patient id, referral id) of open referrals, one per patient, oldest first."""
    rows = (
        Referral.objects.filter(filters, status__in=OPEN_STATUSES)
        .order_by("id")
        .values_list("patient_id", "id")[: limit * 4]
    )
    picked: dict[int, int] = {}
    for patient_id, referral_id in rows:
        picked.setdefault(patient_id, referral_id)
    return list(picked.items())[:limit]


# What happens to each test a requester asks for, in order: (days from today of the test,
# outcome). Outcomes: "booked", "dna", "acknowledged", "overdue" (abnormal and past its alert
# time), "recent" (reported lately, not acknowledged), "offered" (a transfer offered).
GP_STORY = (
    (-16, "overdue"), (-12, "overdue"), (-9, "acknowledged"), (-8, "acknowledged"),
    (-5, "offered"), (-2, "recent"), (-1, "recent"), (-6, "dna"),
    (3, "booked"), (6, "booked"), (10, "booked"), (15, "booked"),
)  # fmt: skip
CONSULTANT_STORY = (
    (-14, "overdue"), (-7, "acknowledged"), (-4, "offered"), (-1, "recent"),
    (4, "booked"), (9, "booked"),
)  # fmt: skip
COMMUNITY_STORY = ((-10, "acknowledged"), (-3, "recent"), (5, "booked"), (12, "booked"))
# Requests made over six weeks ago for tests still to come (DM01 breaches).
LONG_WAIT_DAYS = (45, 52, 60)


def _tests(plan: _Plan, orgs, users, types, now: datetime, rng: random.Random) -> tuple[int, int]:
    today = timezone.localdate(now)
    gp, consultant, community = users["gp"], users["consultant"], users["community"]
    hub = orgs[RESULTS_HUB]
    codes = [code for code, *_ in SCHEDULE if code in types]
    practice = Q(patient__registered_practice=gp.organisation)
    # Patients both the GP and the consultant see (registered with the GP, referred to Barts):
    # the ones a transfer of responsibility between them is offered for.
    shared = _patients(practice & Q(provider=consultant.organisation), 12)
    shared_ids = {patient_id for patient_id, _ in shared}
    gp_patients = shared + [p for p in _patients(practice, 40) if p[0] not in shared_ids]
    consultant_patients = shared[::-1] + [
        p for p in _patients(Q(provider=consultant.organisation), 24) if p[0] not in shared_ids
    ]
    stories = (
        (gp, GP_STORY, gp_patients, consultant),
        (consultant, CONSULTANT_STORY, consultant_patients, gp),
        (community, COMMUNITY_STORY, _patients(Q(provider=community.organisation), 6), None),
    )
    bookings: list[tuple[Booking, str]] = []
    for requester, story, patients, colleague in stories:
        queue = list(patients)
        for days, outcome in story:
            chosen = _patient_for(queue, outcome, shared_ids)
            slot = plan.take(hub, rng.choice(codes), _weekday(today + timedelta(days=days)), rng)
            if chosen is None or slot is None or (outcome != "booked" and slot.starts_at > now):
                continue
            patient_id, referral_id = chosen
            booking = _booking(patient_id, requester, slot, now, rng)
            booking.referral_id = referral_id if requester is not community else None
            if outcome == "offered":
                outcome = f"offered:{colleague.pk}"
            bookings.append((booking, outcome))
        if requester is gp:
            bookings += _today_at_the_hub(plan, hub, gp, queue, now, rng)
    bookings += _long_waits(plan, orgs, consultant, consultant_patients, today, now, rng)
    for booking, outcome in bookings:
        if outcome == "dna":
            booking.status = BookingStatus.DID_NOT_ATTEND
        elif outcome not in ("booked", "to_attend"):
            booking.status = BookingStatus.ATTENDED
            booking.attended_at = booking.slot.starts_at
    Booking.objects.bulk_create([b for b, _ in bookings])
    results = [
        _result(booking, outcome, users["diagnostics"], now, rng)
        for booking, outcome in bookings
        if booking.status == BookingStatus.ATTENDED and outcome != "to_result"
    ]
    Result.objects.bulk_create(results)
    return len(bookings), len(results)


def _patient_for(queue: list, outcome: str, shared_ids: set) -> tuple[int, int] | None:
    """The next patient for a test; a transfer is offered only for a patient both see."""
    for index, (patient_id, _referral) in enumerate(queue):
        if outcome != "offered" or patient_id in shared_ids:
            return queue.pop(index)
    return None


def _weekday(day: date) -> date:
    """The day, or the Friday before it if it falls at a weekend (the hubs open on weekdays)."""
    return day - timedelta(days=max(0, day.weekday() - 4))


def _booking(patient_id, requester, slot, now, rng, *, waited_days: int | None = None) -> Booking:
    ahead = waited_days if waited_days is not None else rng.randint(3, 20)
    requested_at = min(now, slot.starts_at - timedelta(days=ahead))
    return Booking(
        patient_id=patient_id,
        test_type_id=slot.test_type_id,
        slot=slot,
        requester=requester,
        requester_organisation_id=requester.organisation_id,
        reason=REASONS.get(slot.test_type.code, "Clinical assessment."),
        requested_at=requested_at,
        created_at=requested_at,
        updated_at=requested_at,
    )


def _today_at_the_hub(plan, hub, gp, patients, now, rng) -> list[tuple[Booking, str]]:
    """The hub's day: the GP's patients booked into today's ECG slots; of those already under
    way, some attended with the result still to record, the others still to attend."""
    today = timezone.localdate(now)
    made = []
    for slot in sorted(plan.slots.get((hub.pk, "29303009", today), []), key=lambda s: s.starts_at):
        if not patients or slot.capacity != 2 or plan.free[slot.pk] == 0:
            continue
        patient_id, referral_id = patients.pop(0)
        plan.free[slot.pk] -= 1
        booking = _booking(patient_id, gp, slot, now, rng)
        booking.referral_id = referral_id
        started = slot.starts_at <= now
        made.append((booking, "to_result" if started and len(made) % 2 == 0 else "to_attend"))
    return made


def _long_waits(plan, orgs, requester, patients, today, now, rng) -> list[tuple[Booking, str]]:
    made = []
    hub = orgs[HUBS[-1]]
    for waited, (patient_id, referral_id) in zip(LONG_WAIT_DAYS, patients[::-1], strict=False):
        slot = plan.take(hub, "45036003", _weekday(today + timedelta(days=8)), rng)
        if slot is None:
            continue
        booking = _booking(patient_id, requester, slot, now, rng)
        booking.requested_at = booking.created_at = booking.updated_at = now - timedelta(
            days=waited
        )
        booking.referral_id = referral_id
        made.append((booking, "booked"))
    return made


def _result(booking: Booking, outcome: str, staff: User, now: datetime, rng) -> Result:
    kind = outcome.split(":")[0]
    # Overdue and offered results are abnormal (what makes them matter); the rest are mixed.
    abnormal = {"acknowledged": rng.random() < 0.4, "recent": rng.random() < 0.6}.get(kind, True)
    _, summary, value, unit = next(
        f for f in FINDINGS[booking.slot.test_type.code] if f[0] == abnormal
    )
    reported_at = min(now, booking.slot.starts_at + timedelta(hours=rng.randint(2, 6)))
    result = Result(
        booking=booking,
        abnormal=abnormal,
        summary=summary,
        value=value,
        unit=unit,
        reported_at=reported_at,
        recorded_by=staff,
        responsible_id=booking.requester_id,
        created_at=reported_at,
    )
    if outcome == "acknowledged":
        result.acknowledged_at = reported_at + timedelta(hours=20)
        result.acknowledged_by_id = booking.requester_id
        result.action = "Discussed with the patient; no change to treatment."
    elif outcome.startswith("offered:"):
        result.transfer_to_id = int(outcome.split(":")[1])
        result.transfer_offered_at = reported_at + timedelta(hours=3)
    return result


def _count_booked(hubs) -> None:
    """Each slot's ``booked``: its bookings that hold a place (every status but cancelled)."""
    held = (
        Booking.objects.filter(slot=OuterRef("pk"))
        .exclude(status=BookingStatus.CANCELLED)
        .order_by()
        .values("slot")
        .annotate(n=Count("id"))
        .values("n")
    )
    Slot.objects.filter(hub__in=hubs).update(booked=Coalesce(Subquery(held), 0))
