"""The story behind each generated referral: its history and, when it carries a reviewed
category, the review that gave it.

A referral's final status comes from the generator; here it gets the transitions that led
there (each allowed by ``triage.rules.TRANSITIONS``), dated between its clock start and now,
with the notes and actors the services would have written. Pure Python on the generated row,
so the writer can COPY the results in bulk (no ORM per row).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from triage.models import Category, EventKind, Outcome, Status

RATIONALES = {
    Outcome.ACCEPT: (
        "Appropriate referral; history and examination support the priority given.",
        "Meets the referral criteria; routine work-up complete in primary care.",
        "Symptoms and findings warrant specialist assessment at this priority.",
    ),
    Outcome.REQUEST_ADVICE: (
        "Need more information from the GP before a priority can be confirmed.",
    ),
}
DEFERRED_RATIONALE = "Patient prefers to wait; agreed to contact them again on the date given."
# What the generator's final status says the reviewer decided.
REVIEW_OUTCOME = {
    Status.ACCEPTED: Outcome.ACCEPT,
    Status.BOOKED: Outcome.ACCEPT,
    Status.ADVICE_REQUESTED: Outcome.REQUEST_ADVICE,
}


@dataclass
class Event:
    at: datetime
    kind: str
    actor_id: int | None = None
    from_status: str = ""
    to_status: str = ""
    clock_start_before: date | None = None
    clock_start_after: date | None = None
    note: str = ""


@dataclass
class Story:
    events: list[Event] = field(default_factory=list)
    # (reviewer id, panel id or None, category, outcome, rationale, referral version, at)
    review: tuple | None = None
    version: int = 1


class _Clock:
    """Times of the referral's events: each on or after the last, none after ``now``."""

    def __init__(self, rng: random.Random, now: datetime):
        self.rng, self.now, self.last = rng, now, None

    def on(self, day: date) -> datetime:
        at = datetime(day.year, day.month, day.day, 8, tzinfo=UTC) + timedelta(
            minutes=self.rng.randint(0, 8 * 60)
        )
        if self.last is not None and at <= self.last:
            at = self.last + timedelta(minutes=self.rng.randint(1, 30))
        self.last = min(at, self.now)
        return self.last


def _later(rng: random.Random, start: date, today: date, most: int) -> date:
    """A day from ``start`` to at most ``most`` days on, never after ``today``."""
    return start + timedelta(days=rng.randint(0, max(0, min(most, (today - start).days))))


def referral_story(
    row: dict,
    *,
    rng: random.Random,
    today: date,
    now: datetime,
    reviewer_id: int | None,
    panel_id: int | None,
    booker_id: int | None,
) -> Story:
    """The history of one generated row (and its review, when it has a category and a
    reviewer), as ``triage.services`` would have recorded it."""
    clock = _Clock(rng, now)
    story = Story()
    events = story.events
    received = clock.on(row["clock_start"])
    events.append(
        Event(
            received, EventKind.CREATED, to_status=Status.AWAITING_REVIEW, note="Received by e-RS"
        )
    )
    events.append(
        Event(
            received,
            EventKind.CLOCK,
            clock_start_after=row["clock_start"],
            note="RTT clock started",
        )
    )
    status = Status.AWAITING_REVIEW

    def move(to_status: str, at: datetime, actor: int | None, note: str) -> None:
        nonlocal status
        events.append(Event(at, EventKind.STATUS, actor, status, to_status, note=note))
        status = to_status
        story.version += 1

    final = row["status"]
    if final == Status.AWAITING_REVIEW:
        return story
    # Two-week-wait referrals are triaged within days; the rest within three weeks.
    triage_within = 3 if row["priority"] == "two_week_wait" else 21
    first_day = min(row["clock_start"] + timedelta(days=1), today)
    review_day = _later(rng, first_day, today, triage_within)
    if final == Status.UNDER_REVIEW:
        move(Status.UNDER_REVIEW, clock.on(review_day), reviewer_id, "Review started")
        return story
    category = row["category"]
    outcome = REVIEW_OUTCOME[final]
    reviewed_at = clock.on(review_day)
    if reviewer_id is not None:
        rationale = DEFERRED_RATIONALE if row["deferred"] else rng.choice(RATIONALES[outcome])
        story.review = (
            reviewer_id,
            panel_id,
            category,
            outcome,
            rationale,
            story.version,
            reviewed_at,
        )
    note = f"Reviewed: {Category(category).label}; {Outcome(outcome).label.lower()}"
    move(REVIEW_OUTCOME_STATUS[outcome], reviewed_at, reviewer_id, note)
    events.append(
        Event(reviewed_at, EventKind.CATEGORY, reviewer_id, note=f"provisional → {category}")
    )
    if final == Status.BOOKED or row["awaiting_rebook"]:
        booked_day = _later(rng, review_day, today, 42)
        appointment = row["appointment_on"] or _later(rng, booked_day, today, 28)
        move(Status.BOOKED, clock.on(booked_day), booker_id, f"Appointment {appointment:%d %b %Y}")
        if row["awaiting_rebook"]:
            dna_at = clock.on(appointment)
            move(Status.ACCEPTED, dna_at, booker_id, "Did not attend: to rebook")
            events.append(
                Event(
                    dna_at,
                    EventKind.CLOCK,
                    booker_id,
                    clock_start_before=row["clock_start"],
                    note="RTT clock nullified: first appointment not attended; restarts at rebooking",
                )
            )
    return story


REVIEW_OUTCOME_STATUS = {
    Outcome.ACCEPT: Status.ACCEPTED,
    Outcome.REQUEST_ADVICE: Status.ADVICE_REQUESTED,
}
