"""Pure contract rules of docs/product.md §5: due times, statuses, rates, the breach letter.
No database and no clock: callers pass ``now`` (``timezone.now()``) or ``today``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings

from contracts.models import Duty, FitNote, ObligationStatus
from contracts.reference_data import CLAUSES, CONTRACT_EDITION


def deadline(duty: str) -> timedelta:
    """How long after its event an obligation of ``duty`` falls due (settings, with the
    contract's figures as defaults; docs/operations.md)."""
    if duty == Duty.DISCHARGE_SUMMARY:
        return timedelta(hours=settings.CONTRACTS_DISCHARGE_SUMMARY_HOURS)
    if duty == Duty.CLINIC_LETTER:
        return timedelta(days=settings.CONTRACTS_CLINIC_LETTER_DAYS)
    if duty == Duty.RESULT_TO_PATIENT:
        return timedelta(days=settings.CONTRACTS_RESULT_TO_PATIENT_DAYS)
    if duty == Duty.FIT_NOTE:
        return timedelta(hours=settings.CONTRACTS_FIT_NOTE_HOURS)
    if duty == Duty.DISCHARGE_MEDICATION:
        # At least 7 days' medication is supplied at discharge, or the duty is already due.
        return timedelta(0)
    raise ValueError(f"{duty} is not an obligation a provider fulfils")


def due_at(duty: str, event_at: datetime) -> datetime:
    return event_at + deadline(duty)


@dataclass(frozen=True)
class Opened:
    """An obligation an event opens: ``met`` when the event itself fulfilled it (the fit note
    issued, a full week's medication supplied), so it counts toward the on-time rate."""

    duty: str
    met: bool = False


def fit_note_obligations(fit_note: str) -> list[Opened]:
    """A fit note that was due opens ``fit_note``: met if it was issued there and then."""
    if fit_note == FitNote.NOT_NEEDED:
        return []
    return [Opened(Duty.FIT_NOTE, met=fit_note == FitNote.ISSUED)]


def discharge_obligations(*, medication_days: int | None, fit_note: str) -> list[Opened]:
    """Every discharge (inpatient, day case, A&E) owes the GP a summary; a discharge with
    medication owes at least ``CONTRACTS_DISCHARGE_MEDICATION_DAYS`` of it (fewer opens the
    obligation at once, due at the discharge); a fit note that was due is recorded."""
    opened = [Opened(Duty.DISCHARGE_SUMMARY)]
    if medication_days is not None:
        enough = medication_days >= settings.CONTRACTS_DISCHARGE_MEDICATION_DAYS
        opened.append(Opened(Duty.DISCHARGE_MEDICATION, met=enough))
    return opened + fit_note_obligations(fit_note)


def attendance_obligations(*, gp_action_needed: bool, fit_note: str) -> list[Opened]:
    """An outpatient attendance that needs GP action owes a clinic letter."""
    opened = [Opened(Duty.CLINIC_LETTER)] if gp_action_needed else []
    return opened + fit_note_obligations(fit_note)


def fulfilment_status(*, due: datetime, at: datetime) -> str:
    """Met when fulfilled by its due time, met late after it (docs/product.md §5)."""
    return ObligationStatus.MET if at <= due else ObligationStatus.MET_LATE


def current_status(*, due: datetime, fulfilled_at: datetime | None, now: datetime) -> str:
    """The status as of ``now``: overdue from the moment the due time passes unfulfilled,
    whether or not the sweep has marked it yet."""
    if fulfilled_at is not None:
        return fulfilment_status(due=due, at=fulfilled_at)
    return ObligationStatus.OVERDUE if now > due else ObligationStatus.OPEN


def on_time_rate(*, met: int, met_late: int, overdue: int) -> float | None:
    """The share of obligations that have fallen due which were met on time, 0 to 1; None
    when none has fallen due yet (no rate rather than a misleading 0 or 1)."""
    due = met + met_late + overdue
    return None if due == 0 else round(met / due, 4)


def event_time_errors(*, at: datetime, now: datetime, date_of_birth: date | None) -> list[str]:
    """Why ``at`` cannot be when a discharge, attendance or fulfilment happened: never in the
    future, nor before the patient was born."""
    if at > now:
        return ["It is in the future."]
    if date_of_birth is not None and at.date() < date_of_birth:
        return [f"It is before the patient's date of birth ({date_of_birth:%d %b %Y})."]
    return []


@dataclass(frozen=True)
class LetterParties:
    provider_name: str
    provider_ods: str
    icb_name: str
    icb_ods: str
    practice_name: str
    practice_ods: str
    gp_name: str


def breach_letter(
    *,
    duty: str,
    parties: LetterParties,
    nhs_number_display: str,
    occurred_on: date,
    description: str,
    today: date,
) -> str:
    """The letter a GP sends the trust and the ICB about a duty broken by asking the practice
    to act: the duty, the date, the patient reference and the contract clause. Plain text, so
    it prints and downloads as it reads; the GP edits it before sending."""
    clause = CLAUSES[duty]
    label = Duty(duty).label
    return "\n".join(
        [
            f"To: {parties.provider_name} ({parties.provider_ods})",
            f"Copy: {parties.icb_name} ({parties.icb_ods})",
            f"From: {parties.gp_name}, {parties.practice_name} ({parties.practice_ods})",
            f"Date: {today:%d %B %Y}",
            "",
            f"Re: NHS Standard Contract: {label.lower()}",
            f"Patient reference: NHS number {nhs_number_display}",
            f"Date of the request: {occurred_on:%d %B %Y}",
            f"Contract clause: {clause.reference} ({CONTRACT_EDITION})",
            "",
            "Dear colleagues,",
            "",
            f"On {occurred_on:%d %B %Y} this practice was asked to act for the patient named "
            f"above in a way that the NHS Standard Contract places on the provider: "
            f"{label.lower()}. Under {clause.reference} the provider must {clause.requirement}.",
            "",
            "What happened:",
            description.strip(),
            "",
            "Please make sure the provider does this itself for this patient, tell us when it "
            "has been done, and review how such requests come to be made. We are copying this "
            "letter to the ICB as the commissioner of the contract.",
            "",
            "Yours faithfully,",
            "",
            parties.gp_name,
            parties.practice_name,
        ]
    )
