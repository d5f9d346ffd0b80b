"""Demo prescribing (docs/prescribing.md, "The demo"): joint budgets in both ICBs with their
committees, a year's prescriptions so far in every status, and shared care agreements in every
state, made through the prescribing services as the demo clinicians.

- North East London (QMF): a budget for all therapeutic areas, a respiratory one and a small
  dermatology one whose spend has passed 80%, so its committee (gp, community, consultant.rqx)
  has budget alerts; North West London (QRV): a cardiovascular budget.
- Prescriptions by the demo GP for their practice's patients and by the demo consultant for
  Barts' patients of that practice (discharge supplies among them, one short with its reason),
  spread over the financial year so far, most dispensed, some issued, one cancelled.
- Shared care between the demo consultant and the demo GP: proposals awaiting the GP (their
  worklist and home page), one accepted, one declined with its reason, one active with
  prescriptions under it, one ended.

Loaded only when the demo ICBs have no budget yet, so ``seed_demo`` stays safe to run again.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from audit.services import COMMAND_CONTEXT
from directory.models import Patient, User
from directory.selectors import patients_visible_to
from prescribing import rules
from prescribing.models import (
    Budget,
    Prescription,
    PrescriptionItem,
    PrescriptionStatus,
    SharedCareAgreement,
)
from prescribing.services.budget_alerts import budget_alerts_raise
from prescribing.services.budgets import budget_create
from prescribing.services.prescriptions import (
    prescription_cancel,
    prescription_dispense,
    prescription_issue,
)
from prescribing.services.shared_care import (
    agreement_accept,
    agreement_decline,
    agreement_end,
    agreement_propose,
)
from triage.models import TreatmentFunction
from triage.services.referrals import referral_create

ICBS = ("QMF", "QRV")
PHARMACY = "FDM01"
GP_PRACTICE = "F84901"
# (ICB, therapeutic area, amount, committee, share of the amount charged by the year's end at
# this year's run rate). The demo ICBs hold a dozen practices, so the amounts are to that scale;
# respiratory is on course to overspend.
BUDGETS = (
    ("QMF", "", "30000.00", ("gp", "community", "consultant"), 0.85),
    ("QMF", "Respiratory", "6000.00", ("gp", "community", "consultant"), 1.1),
    ("QMF", "Dermatology", "1500.00", ("gp", "community", "consultant.rqx"), 0),
    ("QRV", "Cardiovascular", "20000.00", ("gp.nwl", "community.nwl", "consultant.ryj"), 0.7),
)
# (medicine, dm+d code, quantity, days, cost)
MEDICINES = (
    ("Salbutamol 100micrograms/dose inhaler CFC free", "39113611000001102", 1, 30, "1.50"),
    ("Amoxicillin 500mg capsules", "39732311000001104", 21, 7, "1.05"),
    ("Atorvastatin 20mg tablets", "39693311000001103", 28, 28, "0.97"),
    ("Ramipril 5mg capsules", "39719511000001107", 28, 28, "1.12"),
    ("Omeprazole 20mg gastro-resistant capsules", "39107611000001102", 28, 28, "0.99"),
    ("Paracetamol 500mg tablets", "39720311000001101", 32, 8, "0.35"),
    ("Fostair 100micrograms/dose / 6micrograms/dose inhaler", "", 1, 30, "29.32"),
)
# A high-cost biologic: one dispensed supply takes the dermatology budget past 80%.
DERMATOLOGY = ("Dupilumab 300mg/2ml solution for injection pre-filled pens", "", 2, 28, "1264.89")
SHARED_CARE = (
    ("Methotrexate 2.5mg tablets", "39108711000001105", (("26604007", 84), ("26958001", 84))),
    ("Azathioprine 50mg tablets", "", (("26604007", 91), ("26958001", 91))),
    ("Leflunomide 10mg tablets", "", (("26604007", 56),)),
    ("Hydroxychloroquine 200mg tablets", "", ()),
    ("Mycophenolate mofetil 500mg tablets", "", (("26604007", 28),)),
    ("Ciclosporin 25mg capsules", "", (("26604007", 28), ("26958001", 28))),
)


def demo_prescribing(*, organisations: dict, users: dict, seed: int) -> str:
    icbs = [organisations[code] for code in ICBS if code in organisations]
    if not icbs or PHARMACY not in organisations or GP_PRACTICE not in organisations:
        return "Prescribing: no demo ICBs or pharmacy; nothing loaded."
    if Budget.objects.filter(icb__in=icbs).exists():
        return "Demo prescribing already loaded; left as it is."
    rng = random.Random(seed)
    with transaction.atomic():
        budgets = _budgets(organisations, users)
        patients = _consultants_patients(organisations, users, rng)
        _prescriptions(organisations, users, budgets, patients, rng)
        agreements = _agreements(organisations, users, budgets, patients)
        _spread_over_the_year(rng)
        _earlier_in_the_year(organisations, users, budgets, rng)
        budget_alerts_raise()
        prescriptions = Prescription.objects.filter(budget__in=budgets.values()).count()
    counts = SharedCareAgreement.objects.order_by("status").values("status").annotate(n=Count("id"))
    states = ", ".join(f"{row['n']} {row['status']}" for row in counts)
    return (
        f"Loaded prescribing: {len(budgets)} joint budgets, {prescriptions} prescriptions, "
        f"{agreements} shared care agreements ({states})."
    )


def _budgets(orgs: dict, users: dict[str, User]) -> dict[tuple[str, str], Budget]:
    year = rules.financial_year_of(timezone.localdate())
    return {
        (icb, area): budget_create(
            actor=users["admin"],
            context=COMMAND_CONTEXT,
            icb=orgs[icb],
            financial_year=year,
            amount=Decimal(amount),
            therapeutic_area=area,
            committee=[users[name] for name in committee],
        )
        for icb, area, amount, committee, _ in BUDGETS
    }


def _consultants_patients(orgs: dict, users: dict[str, User], rng) -> list[Patient]:
    """Patients of the demo GP's practice whom the demo consultant sees (a referral to Barts);
    the GP refers a few more if the demo holds too few."""
    consultant, gp = users["consultant"], users["gp"]
    practice = orgs[GP_PRACTICE]
    seen = list(
        patients_visible_to(consultant).filter(registered_practice=practice).order_by("id")[:12]
    )
    if len(seen) < 8:
        others = Patient.objects.filter(registered_practice=practice).exclude(
            pk__in=[p.pk for p in seen]
        )
        for n, patient in enumerate(others.order_by("id")[: 8 - len(seen)]):
            referral_create(
                actor=gp,
                context=COMMAND_CONTEXT,
                patient=patient,
                referring_practice=practice,
                referring_clinician=gp,
                provider=orgs["R1H"],
                treatment_function=TreatmentFunction.objects.get(code="110"),
                priority="routine",
                clock_start=timezone.localdate() - timedelta(days=rng.randint(20, 90)),
                reason="Demo: inflammatory arthritis, for rheumatology-led shared care.",
                external_id=f"demo-prescribing-{n}",
            )
            seen.append(patient)
    return seen


def _item(medicine, *, days: int | None = None) -> dict:
    name, code, quantity, supply, cost = medicine
    return {
        "medicine": name,
        "dmd_code": code,
        "quantity": quantity,
        "days_supply": days or supply,
        "cost": Decimal(cost),
    }


class _Issuer:
    """Issues demo prescriptions through the service, then dispenses most, cancels a few."""

    def __init__(self, orgs: dict, rng: random.Random):
        self.pharmacy = orgs[PHARMACY]
        self.rng = rng
        self.count = 0

    def issue(self, actor: User, patient: Patient, budget: Budget, items: list[dict], **kwargs):
        prescription = prescription_issue(
            actor=actor,
            context=COMMAND_CONTEXT,
            patient=patient,
            pharmacy=self.pharmacy,
            budget=budget,
            items=items,
            **kwargs,
        )
        self.count += 1
        return prescription

    def settle(self, prescription: Prescription, *, dispensed: float = 0.7) -> None:
        roll = self.rng.random()
        if roll < dispensed:
            prescription_dispense(
                prescription=prescription, actor=prescription.prescriber, context=COMMAND_CONTEXT
            )
        elif roll > 0.95:
            prescription_cancel(
                prescription=prescription,
                actor=prescription.prescriber,
                context=COMMAND_CONTEXT,
                reason="Dose changed: prescribed again.",
            )


def _prescriptions(orgs, users, budgets, patients, rng) -> int:
    issuer = _Issuer(orgs, rng)
    all_areas, respiratory = budgets[("QMF", "")], budgets[("QMF", "Respiratory")]
    gp, consultant, community = users["gp"], users["consultant"], users["community"]
    practice_patients = list(
        Patient.objects.filter(registered_practice=orgs[GP_PRACTICE]).order_by("id")[:10]
    )
    for patient in practice_patients:
        medicine = rng.choice(MEDICINES)
        budget = respiratory if "inhaler" in medicine[0] else all_areas
        issuer.settle(issuer.issue(gp, patient, budget, [_item(medicine)]))
    # Barts discharges: at least 7 days, and one shorter with the clinical reason for it.
    for n, patient in enumerate(patients[:5]):
        days = 3 if n == 0 else 14
        reason = "Completes a 5-day course started on the ward." if n == 0 else ""
        items = [_item(MEDICINES[1], days=days), _item(MEDICINES[5], days=max(days, 7))]
        issuer.settle(
            issuer.issue(
                consultant, patient, all_areas, items, discharge=True, short_supply_reason=reason
            )
        )
    for patient in (
        patients_visible_to(community)
        .filter(registered_practice__icb=orgs["QMF"])
        .order_by("id")[:3]
    ):
        issuer.settle(issuer.issue(community, patient, all_areas, [_item(MEDICINES[4])]))
    _dermatology(orgs, users, budgets, issuer, practice_patients)
    _cardiovascular(orgs, users, budgets, issuer)
    return issuer.count


def _dermatology(orgs, users, budgets, issuer: _Issuer, practice_patients) -> None:
    """One dispensed biologic takes the small dermatology budget past 80%: its committee's
    alerts are raised as the dispensing is recorded."""
    budget = budgets[("QMF", "Dermatology")]
    prescriber = users["consultant.rqx"]
    patient = (
        patients_visible_to(prescriber)
        .filter(registered_practice__icb=orgs["QMF"])
        .order_by("id")
        .first()
    )
    if patient is None and practice_patients:
        prescriber, patient = users["gp"], practice_patients[0]
    if patient is not None:
        prescription = issuer.issue(prescriber, patient, budget, [_item(DERMATOLOGY)])
        issuer.settle(prescription, dispensed=1.0)


def _cardiovascular(orgs, users, budgets, issuer: _Issuer) -> None:
    budget = budgets[("QRV", "Cardiovascular")]
    for name in ("consultant.ryj", "gp.nwl"):
        prescriber = users[name]
        for patient in (
            patients_visible_to(prescriber)
            .filter(registered_practice__icb=orgs["QRV"])
            .order_by("id")[:3]
        ):
            items = [_item(MEDICINES[2]), _item(MEDICINES[3])]
            issuer.settle(issuer.issue(prescriber, patient, budget, items))


def _agreements(orgs, users, budgets, patients) -> int:
    """The demo consultant proposes shared care to the demo GP, one agreement in each state."""
    consultant, gp = users["consultant"], users["gp"]
    if not patients:
        return 0
    budget = budgets[("QMF", "")]
    issuer = _Issuer(orgs, random.Random(0))
    made = []
    for n, (medicine, code, tests) in enumerate(SHARED_CARE):
        made.append(
            agreement_propose(
                actor=consultant,
                context=COMMAND_CONTEXT,
                patient=patients[n % len(patients)],
                gp=gp,
                medicine=medicine,
                dmd_code=code,
                monitoring=[{"test_type": t, "interval_days": days} for t, days in tests],
            )
        )
    # 0 and 1 stay proposed: the GP's worklist.
    agreement_accept(agreement=made[2], actor=gp, context=COMMAND_CONTEXT)
    agreement_decline(
        agreement=made[3],
        actor=gp,
        context=COMMAND_CONTEXT,
        reason="We cannot yet arrange the annual eye screening: please keep prescribing.",
    )
    for agreement in made[4:]:
        agreement_accept(agreement=agreement, actor=gp, context=COMMAND_CONTEXT)
        item = {
            "medicine": agreement.medicine,
            "dmd_code": agreement.dmd_code,
            "quantity": 56,
            "days_supply": 28,
            "cost": Decimal("18.40"),
        }
        for prescriber in (consultant, gp):
            issuer.settle(
                issuer.issue(prescriber, agreement.patient, budget, [item], shared_care=agreement),
                dispensed=1.0,
            )
    agreement_end(
        agreement=made[5],
        actor=consultant,
        context=COMMAND_CONTEXT,
        reason="Stopped: in remission after two years.",
    )
    return len(made)


def _spread_over_the_year(rng: random.Random) -> None:
    """Date the prescriptions made outside shared care (the agreements are today's) across the
    financial year so far, so the run rate, and so the forecast outturn, is that of a year's
    prescribing rather than of one afternoon's."""
    now = timezone.now()
    start, _ = rules.financial_year_bounds(rules.financial_year_of(timezone.localdate()))
    year_start = timezone.make_aware(datetime.combine(start, time.min))
    seconds = max(0, int((now - year_start).total_seconds()))
    for prescription in Prescription.objects.filter(shared_care=None).order_by("id"):
        issued = now - timedelta(seconds=rng.randint(0, seconds))
        fields = {"issued_at": issued}
        if prescription.status == PrescriptionStatus.DISPENSED:
            fields["dispensed_at"] = min(now, issued + timedelta(days=rng.randint(1, 3)))
        if prescription.status == PrescriptionStatus.CANCELLED:
            fields["cancelled_at"] = min(now, issued + timedelta(hours=rng.randint(1, 48)))
        Prescription.objects.filter(pk=prescription.pk).update(**fields)


def _earlier_in_the_year(orgs, users, budgets, rng: random.Random) -> None:
    """The year's prescribing before today, written in bulk: repeat prescriptions by each
    budget's GP for their practice's patients until spend reaches the budget's share so far
    (dispensed, but for the last week's, still issued)."""
    start, end = rules.financial_year_bounds(rules.financial_year_of(timezone.localdate()))
    today = timezone.localdate()
    gone = ((today - start).days + 1) / ((end - start).days + 1)
    now = timezone.now()
    year_start = timezone.make_aware(datetime.combine(start, time.min))
    seconds = max(1, int((now - year_start).total_seconds()))
    pharmacy = orgs[PHARMACY]
    for icb, area, amount, committee, share in BUDGETS:
        gp = users[committee[0]]
        patients = list(Patient.objects.filter(registered_practice=gp.organisation)[:200])
        if not share or not patients:
            continue
        budget = budgets[(icb, area)]
        target = Decimal(amount) * Decimal(str(share * gone))
        charged, rows, lines = Decimal("0"), [], []
        while charged < target:
            issued = now - timedelta(seconds=rng.randint(0, seconds))
            medicine = rng.choice(MEDICINES)
            months = rng.choice((1, 1, 2, 3))
            cost = Decimal(medicine[4]) * months
            recent = now - issued < timedelta(days=7)
            rows.append(
                Prescription(
                    patient=rng.choice(patients),
                    prescriber=gp,
                    prescriber_organisation=gp.organisation,
                    pharmacy=pharmacy,
                    budget=budget,
                    status=PrescriptionStatus.ISSUED if recent else PrescriptionStatus.DISPENSED,
                    issued_at=issued,
                    dispensed_at=None if recent else issued + timedelta(days=1),
                    total_cost=cost,
                )
            )
            lines.append((medicine, months, cost))
            charged += cost
        Prescription.objects.bulk_create(rows)
        PrescriptionItem.objects.bulk_create(
            PrescriptionItem(
                prescription=prescription,
                line=1,
                medicine=medicine[0],
                dmd_code=medicine[1],
                quantity=medicine[2] * months,
                days_supply=medicine[3] * months,
                cost=cost,
            )
            for prescription, (medicine, months, cost) in zip(rows, lines, strict=True)
        )
