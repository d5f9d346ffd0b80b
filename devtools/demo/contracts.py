"""Demo contract obligations (docs/contracts.md, "The demo"): ten weeks of discharges and
outpatient attendances at the demo providers, recorded through the services as the provider's
staff would, with what fulfilled them; so the compliance figures have a trend, each provider's
list has obligations met, met late, overdue and still open, and the demo GP has breach reports
with their letters.

- Most discharge summaries and clinic letters were sent on time, some late, a few never: the
  overdue sweep (run here once, as beat would) marks those and raises their alerts.
- Some discharges supplied under 7 days' medication or owed a fit note, opened at once.
- The demo GP reported one breach of each kind, all to Barts Health (R1H).

Loaded only when the demo holds no discharge yet, so ``seed_demo`` stays safe to run again.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from audit.services import COMMAND_CONTEXT
from contracts.models import BREACH_DUTIES, Discharge, Obligation, ObligationStatus
from contracts.services.events import attendance_record, discharge_record
from contracts.services.obligations import obligation_fulfil
from contracts.services.overdue import obligations_mark_overdue
from contracts.services.reports import breach_report_create
from directory.models import Organisation, Patient, User
from triage.models import Referral

WEEKS = 10
# The provider and its demo clinician who records there.
RECORDERS = (
    ("R1H", "consultant", 60, 30),
    ("RQX", "consultant.rqx", 30, 15),
    ("RF4", "consultant.rf4", 20, 10),
    ("RWK", "community", 0, 20),
    ("RYJ", "consultant.ryj", 20, 10),
)
# How the summaries and letters went: (share, hours late, or None for never sent).
ON_TIME, LATE, NEVER = 0.78, 0.16, 0.06
BREACHES = {
    "rereferral_after_dna": "Outpatient letter: 'did not attend; we have discharged the "
    "patient back to your care, please re-refer if still needed'.",
    "onward_referral": "Clinic letter asked the practice to refer on to cardiology for the "
    "same chest pain the patient was referred for.",
    "prescribing_transfer": "Discharge summary asked the practice to start apixaban 5 mg twice "
    "daily; no supply was given at discharge.",
    "shared_care_without_agreement": "Letter informed the practice that methotrexate "
    "monitoring now rests with the GP; no shared care agreement was offered or accepted.",
}


def _patients_of(provider: Organisation, limit: int) -> list[Patient]:
    ids = (
        Referral.objects.filter(provider=provider)
        .order_by("id")
        .values_list("patient_id", flat=True)
        .distinct()[: limit * 3]
    )
    return list(Patient.objects.filter(pk__in=list(ids)).order_by("id")[:limit])


def _fulfil_as_it_went(obligation: Obligation, actor: User, rng: random.Random, now) -> None:
    if obligation.status != ObligationStatus.OPEN:
        return
    roll = rng.random()
    if roll < ON_TIME:
        window = max((obligation.due_at - obligation.event_at).total_seconds(), 3600)
        at = obligation.event_at + timedelta(seconds=rng.uniform(0.1, 0.95) * window)
    elif roll < ON_TIME + LATE:
        at = obligation.due_at + timedelta(hours=rng.uniform(2, 96))
    else:
        return  # never sent: overdue
    if at < now:
        obligation_fulfil(obligation=obligation, actor=actor, context=COMMAND_CONTEXT, at=at)


def demo_contracts(
    *, organisations: dict[str, Organisation], users: dict[str, User], seed: int
) -> str:
    if Discharge.objects.exists():
        return "Demo contract obligations already loaded; left as they are."
    rng = random.Random(seed)
    now = timezone.now()
    discharges = attendances = 0
    for code, username, n_discharges, n_attendances in RECORDERS:
        provider, actor = organisations.get(code), users.get(username)
        if provider is None or actor is None:
            continue
        patients = _patients_of(provider, n_discharges + n_attendances)
        for index, patient in enumerate(patients):
            # Spread over the weeks, the most recent few within the last day or two.
            hours_ago = rng.uniform(2, 48) if index % 12 == 0 else rng.uniform(48, WEEKS * 7 * 24)
            when = now - timedelta(hours=hours_ago)
            if index < n_discharges:
                record, _ = discharge_record(
                    actor=actor,
                    context=COMMAND_CONTEXT,
                    patient=patient,
                    kind=rng.choice(["inpatient", "inpatient", "day_case", "ae"]),
                    discharged_at=when,
                    medication_days=rng.choice([None, 7, 14, 28, 28, 3]),
                    fit_note=rng.choice(["not_needed"] * 6 + ["issued", "due"]),
                )
                discharges += 1
            else:
                record, _ = attendance_record(
                    actor=actor,
                    context=COMMAND_CONTEXT,
                    patient=patient,
                    attended_at=when,
                    gp_action_needed=rng.random() < 0.7,
                )
                attendances += 1
            for obligation in record.obligations.order_by("id"):
                _fulfil_as_it_went(obligation, actor, rng, now)
    overdue = obligations_mark_overdue()
    reports = _breach_reports(organisations, users)
    counts = {s: Obligation.objects.filter(status=s).count() for s in ObligationStatus.values}
    return (
        f"Loaded {discharges} discharges and {attendances} attendances: "
        f"{sum(counts.values())} obligations ({counts['met']} met, {counts['met_late']} met "
        f"late, {counts['overdue']} overdue, {counts['open']} open; {overdue.alerts} overdue "
        f"alerts raised); {reports} breach reports by the demo GP."
    )


def _breach_reports(organisations: dict[str, Organisation], users: dict[str, User]) -> int:
    gp, trust = users.get("gp"), organisations.get("R1H")
    if gp is None or trust is None:
        return 0
    patients = list(
        Patient.objects.filter(registered_practice=gp.organisation).order_by("id")[: len(BREACHES)]
    )
    today = timezone.localdate()
    made = 0
    for index, (duty, patient) in enumerate(zip(BREACH_DUTIES, patients, strict=False)):
        breach_report_create(
            actor=gp,
            context=COMMAND_CONTEXT,
            duty=duty,
            provider=trust,
            patient=patient,
            occurred_on=today - timedelta(days=3 + 9 * index),
            description=BREACHES[duty],
        )
        made += 1
    return made
