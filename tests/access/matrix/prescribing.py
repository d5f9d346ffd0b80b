"""The prescribing app's pages and API operations in the access matrix (docs/product.md §1, §4):
a prescription is seen by its prescriber (the consultant) and the patient's GP; a shared care
agreement by its consultant and its GP; a joint budget by its committee (the GP, the
consultant, the community clinician), the ICB's managers and administrators. Records come from
tests/access/records/prescribing.py."""

from __future__ import annotations

from prescribing import rules
from tests.access.spec import HIDDEN, REFUSED, Entry, by_role, every, for_everyone, own, showing
from tests.prescribing.factories import this_financial_year

PRESCRIBERS = ("gp", "consultant", "community_clinician")


def budget(s):
    return s.extra["prescribing_budget"]


def prescription(s):
    return s.extra["prescribing_prescription"]


def proposal(s):
    return s.extra["prescribing_proposal"]


def accepted(s):
    return s.extra["prescribing_accepted"]


def budget_uuid(s):
    return str(budget(s).uuid)


def prescription_uuid(s):
    return str(prescription(s).uuid)


def proposal_uuid(s):
    return str(proposal(s).uuid)


BUDGET_READERS = by_role(
    gp=own(200),  # on the committee
    consultant=own(200),
    community_clinician=own(200),
    diagnostics_staff=HIDDEN,
    manager=own(200),  # the ICB's manager
    admin=every(200),
)
PRESCRIPTION_READERS = by_role(
    gp=own(200),  # the patient's GP
    consultant=own(200),  # the prescriber
    community_clinician=HIDDEN,
    diagnostics_staff=HIDDEN,
    manager=HIDDEN,
    admin=HIDDEN,
)
AGREEMENT_READERS = by_role(
    gp=own(200),  # the GP it names
    consultant=own(200),  # the initiating consultant
    community_clinician=HIDDEN,
    diagnostics_staff=HIDDEN,
    manager=HIDDEN,
    admin=HIDDEN,
)
# Prescribers may issue for a patient they see; a stranger's NHS number is a field error.
ISSUERS = {
    **for_everyone(403),
    **{role: own(201, other=400, unrelated=400) for role in PRESCRIBERS},
}
PRESCRIBERS_ONLY = {**for_everyone(403), **{role: every(200) for role in PRESCRIBERS}}
BUDGET_SETTERS = {**for_everyone(403), "manager": every(200), "admin": every(200)}


def prescriber_only(ok: int) -> dict:
    """An action on the prescription: the prescriber does it; the patient's GP sees it (403)."""
    return {**PRESCRIPTION_READERS, "gp": own(403), "consultant": own(ok)}


def gp_only(ok: int) -> dict:
    """Answering a proposal: the GP it names; the consultant sees it (403)."""
    return {**AGREEMENT_READERS, "gp": own(ok), "consultant": own(403)}


def budget_body(s, area: str) -> dict:
    return {
        "icb": s.icb.ods_code,
        "financial_year": rules.financial_year_label(this_financial_year()),
        "amount": "5000.00",
        "therapeutic_area": area,
        "committee": [s.users[k].username for k in ("gp", "consultant", "community_clinician")],
    }


def budget_form(s) -> dict:
    body = budget_body(s, "Matrix form area")
    return {
        **body,
        "financial_year": this_financial_year(),
        "committee": " ".join(body["committee"]),
    }


ITEM = {
    "medicine": "Amoxicillin 500mg capsules",
    "dmd_code": "39732311000001104",
    "quantity": 21,
    "days_supply": 14,
    "cost": "4.20",
}


def prescription_body(s) -> dict:
    return {
        "nhs_number": s.patient.nhs_number,
        "pharmacy": s.extra["prescribing_pharmacy"].ods_code,
        "budget": budget_uuid(s),
        "discharge": True,
        "items": [ITEM],
    }


def prescription_form(s) -> dict:
    return {
        "nhs_number": s.patient.nhs_number,
        "pharmacy": s.extra["prescribing_pharmacy"].ods_code,
        "budget": budget_uuid(s),
        "discharge": "on",
        "items-TOTAL_FORMS": 1,
        "items-INITIAL_FORMS": 0,
        **{f"items-0-{name}": value for name, value in ITEM.items()},
    }


def agreement_body(s) -> dict:
    return {
        "nhs_number": s.patient.nhs_number,
        "gp": s.users["gp"].username,
        "medicine": "Leflunomide 10mg tablets",
        "monitoring": [{"test_type": "26604007", "interval_days": 56}],
    }


def agreement_form(s) -> dict:
    return {
        "nhs_number": s.patient.nhs_number,
        "gp": s.users["gp"].username,
        "medicine": "Leflunomide 10mg tablets",
        "monitoring-TOTAL_FORMS": 1,
        "monitoring-INITIAL_FORMS": 0,
        "monitoring-0-test_type": "26604007",
        "monitoring-0-interval_days": 56,
    }


def prescription_kwargs(s) -> dict:
    return {"prescription_id": prescription(s).uuid}


REASON = "No capacity for the monitoring."

BROWSER = [
    Entry(
        "prescribing:budgets",
        lists=True,
        shows=showing(budget_uuid, *PRESCRIBERS, "manager", "admin"),
        expect={**for_everyone(200), "diagnostics_staff": REFUSED},
    ),
    Entry("prescribing:budget-new", expect=BUDGET_SETTERS),
    Entry(
        "prescribing:budget-new",
        method="POST",
        body=budget_form,
        # A manager sets up their own ICB's budgets only: another ICB is a field error.
        expect={
            **for_everyone(403),
            "manager": own(302, other=400, unrelated=400),
            "admin": every(302),
        },
    ),
    Entry(
        "prescribing:budget-detail",
        kwargs=lambda s: {"budget_id": budget(s).uuid},
        expect=BUDGET_READERS,
    ),
    Entry(
        "prescribing:prescriptions",
        lists=True,
        shows=showing(prescription_uuid, "gp", "consultant"),
        expect=PRESCRIBERS_ONLY,
    ),
    Entry("prescribing:prescription-new", expect=PRESCRIBERS_ONLY),
    Entry(
        "prescribing:prescription-new",
        method="POST",
        body=prescription_form,
        expect={**ISSUERS, **{role: own(302, other=400, unrelated=400) for role in PRESCRIBERS}},
    ),
    Entry(
        "prescribing:prescription-detail",
        kwargs=prescription_kwargs,
        audited=True,
        expect=PRESCRIPTION_READERS,
    ),
    *(
        Entry(
            "prescribing:prescription-action",
            method="POST",
            variant=slug,
            kwargs=lambda s, slug=slug: {**prescription_kwargs(s), "action": slug},
            body=body,
            expect=prescriber_only(302),
        )
        for slug, body in (
            ("dispense", lambda s: {}),
            ("cancel", lambda s: {"cancel-reason": "Wrong strength."}),
        )
    ),
    Entry(
        "prescribing:shared-care",
        lists=True,
        shows=showing(proposal_uuid, "gp", "consultant"),
        expect=PRESCRIBERS_ONLY,
    ),
    Entry(
        "prescribing:shared-care-new",
        expect={**for_everyone(403), "consultant": every(200)},
    ),
    Entry(
        "prescribing:shared-care-new",
        method="POST",
        body=agreement_form,
        expect={**for_everyone(403), "consultant": own(302, other=400, unrelated=400)},
    ),
    Entry(
        "prescribing:shared-care-detail",
        kwargs=lambda s: {"agreement_id": proposal(s).uuid},
        audited=True,
        expect=AGREEMENT_READERS,
    ),
    Entry(
        "prescribing:shared-care-action",
        method="POST",
        variant="accept",
        kwargs=lambda s: {"agreement_id": proposal(s).uuid, "action": "accept"},
        expect=gp_only(302),
    ),
    Entry(
        "prescribing:shared-care-action",
        method="POST",
        variant="decline",
        kwargs=lambda s: {"agreement_id": proposal(s).uuid, "action": "decline"},
        body=lambda s: {"decline-reason": REASON},
        expect=gp_only(302),
    ),
    Entry(
        "prescribing:shared-care-action",
        method="POST",
        variant="end",
        kwargs=lambda s: {"agreement_id": accepted(s).uuid, "action": "end"},
        body=lambda s: {"end-reason": "Stopped: in remission."},
        expect={**AGREEMENT_READERS, "gp": own(302), "consultant": own(302)},
    ),
]

API = [
    Entry(
        "api-prescribing-budgets",
        lists=True,
        shows=showing(budget_uuid, *PRESCRIBERS, "manager", "admin"),
        expect=for_everyone(200),
    ),
    Entry(
        "api-prescribing-budgets",
        method="POST",
        body=lambda s: budget_body(s, "Matrix API area"),
        expect={
            **for_everyone(403),
            "manager": own(201, other=400, unrelated=400),
            "admin": every(201),
        },
    ),
    Entry(
        "api-prescribing-budget-detail",
        kwargs=lambda s: {"budget_id": budget(s).uuid},
        expect=BUDGET_READERS,
    ),
    Entry(
        "api-prescribing-prescriptions",
        lists=True,
        shows=showing(prescription_uuid, "gp", "consultant"),
        expect=for_everyone(200),
    ),
    Entry("api-prescribing-prescriptions", method="POST", body=prescription_body, expect=ISSUERS),
    Entry(
        "api-prescribing-prescription-detail",
        kwargs=prescription_kwargs,
        audited=True,
        expect=PRESCRIPTION_READERS,
    ),
    Entry(
        "api-prescribing-prescription-dispense",
        method="POST",
        kwargs=prescription_kwargs,
        expect=prescriber_only(200),
    ),
    Entry(
        "api-prescribing-prescription-cancel",
        method="POST",
        kwargs=prescription_kwargs,
        body=lambda s: {"reason": "Wrong strength."},
        expect=prescriber_only(200),
    ),
    Entry(
        "api-prescribing-prescription-fhir",
        kwargs=prescription_kwargs,
        audited=True,
        expect=PRESCRIPTION_READERS,
    ),
    Entry(
        "api-prescribing-shared-care",
        lists=True,
        shows=showing(proposal_uuid, "gp", "consultant"),
        expect=for_everyone(200),
    ),
    Entry(
        "api-prescribing-shared-care",
        method="POST",
        body=agreement_body,
        expect={**for_everyone(403), "consultant": own(201, other=400, unrelated=400)},
    ),
    Entry(
        "api-prescribing-shared-care-detail",
        kwargs=lambda s: {"agreement_id": proposal(s).uuid},
        audited=True,
        expect=AGREEMENT_READERS,
    ),
    Entry(
        "api-prescribing-shared-care-accept",
        method="POST",
        kwargs=lambda s: {"agreement_id": proposal(s).uuid},
        expect=gp_only(200),
    ),
    Entry(
        "api-prescribing-shared-care-decline",
        method="POST",
        kwargs=lambda s: {"agreement_id": proposal(s).uuid},
        body=lambda s: {"reason": REASON},
        expect=gp_only(200),
    ),
    Entry(
        "api-prescribing-shared-care-end",
        method="POST",
        kwargs=lambda s: {"agreement_id": accepted(s).uuid},
        body=lambda s: {"reason": "Stopped: in remission."},
        expect={**AGREEMENT_READERS, "gp": own(200), "consultant": own(200)},
    ),
]

ENTRIES: list[Entry] = [*BROWSER, *API]
