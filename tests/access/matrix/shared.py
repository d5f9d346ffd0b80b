"""What the pages and the API share: who may see each kind of record, the actions on a
referral with a valid body for each, and the markers a holder's list must show."""

from __future__ import annotations

import datetime

from django.utils import timezone

from tests.access.scenario import FAMILY_NAME
from tests.access.spec import HIDDEN, REFUSED, Entry, by_role, own


def days_from_today(n: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=n)).isoformat()


def browser_fields(name: str, value) -> dict:
    """A browser form's fields for one API value: a date is typed as day, month and year
    (the NHS date input, triage.web.widgets)."""
    if isinstance(value, str) and len(value) == 10 and value[4] == value[7] == "-":
        day = datetime.date.fromisoformat(value)
        return {f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year}
    return {name: value}


def referral_kwargs(s):
    return {"referral_id": s.referral.uuid}


def patient_kwargs(s):
    return {"patient_id": s.patient.uuid}


def patient_name(s):
    return s.patient.given_name


def referral_uuid(s):
    return str(s.referral.uuid)


def panel_uuid(s):
    return str(s.panel_a.uuid)


def advice_uuid(s):
    return str(s.advice_to_gp.uuid)


PANEL_HOLDERS = {"gp": "panel_gp"}  # for a panel, the GP who sits on it holds the relationship


def invitation(answered: int) -> dict:
    """An invitation to panel A is answered by the clinician invited, and nobody else sees it;
    managers and administrators are never invited (only clinicians sit on panels)."""
    return by_role(
        gp=own(answered),
        consultant=own(answered),
        community_clinician=own(answered),
        diagnostics_staff=own(answered),
        manager=HIDDEN,
        admin=HIDDEN,
    )


CLINICIANS_ONLY = {"manager": REFUSED, "admin": REFUSED}
# Every clinician who may set up a panel, with a GP, so each one's panel has all three sectors
# and a clinician of its own provider (triage.services.panels.panel_create).
PANEL_CANDIDATES = " ".join(
    f"{label}-{key}"
    for label in ("home", "foreign")
    for key in (
        "panel-gp",
        "consultant",
        "community-clinician",
        "unrelated-consultant",
        "unrelated-community",
    )
)
SEARCH = {"family_name": FAMILY_NAME}  # both scenarios' patients share it
A_AND_G = {"treatment_function": "110", "question": "Would an injection help first?"}


# Who may see a referral, a patient or an advice request (docs/product.md §1).
REFERRAL_READERS = by_role(
    gp=own(200),  # the referring practice, which is also the patient's registered practice
    consultant=own(200),  # the provider
    community_clinician=own(200),  # a member of the referral's panel
    diagnostics_staff=HIDDEN,
    manager=HIDDEN,  # pseudonymised rows only, never a record
    admin=HIDDEN,
)
# Who may see the patient: the referral's readers, and the staff of the hub a test of theirs is
# booked at (tests/access/records/diagnostics.py; docs/product.md §1).
PATIENT_READERS = {**REFERRAL_READERS, "diagnostics_staff": own(200)}
ADVICE_READERS = by_role(
    gp=own(200),
    consultant=own(200),
    community_clinician=HIDDEN,
    diagnostics_staff=HIDDEN,
    manager=HIDDEN,
    admin=HIDDEN,
)


# The actions on a referral (triage.permissions.REFERRAL_ACTIONS), the record each is done to,
# a valid browser form (prefixed by the action) and API body, and whether the referring GP
# and the community clinician on the panel may do it (403: they see the referral).
def review_body(s):
    return {
        "category": "P3",
        "outcome": "accept",
        "rationale": "Stable.",
        "version": s.referral.version,
    }


REFERRAL_ACTIONS = {
    # slug: (record, body, API success status, GP may, panel member may)
    "review": ("referral", review_body, 201, False, True),
    "book": ("accepted", lambda s: {"appointment_on": days_from_today(14)}, 200, False, False),
    "dna": ("booked", lambda s: {}, 200, False, False),
    "stop-clock": ("referral", lambda s: {"outcome": "discharged"}, 200, False, False),
    "cancel": ("referral", lambda s: {"reason": "Treated privately."}, 200, True, False),
    "assign-panel": ("referral", lambda s: {"panel": s.panel_b.uuid}, 200, False, False),
    "harm-review": (
        "referral",
        lambda s: {"outcome": "no_harm", "notes": "No deterioration."},
        201,
        False,
        True,
    ),
}


def referral_action_entries(*, api: bool) -> list[Entry]:
    entries = []
    for slug, (record, body, api_status, gp_may, member_may) in REFERRAL_ACTIONS.items():
        done = api_status if api else 302

        def kwargs(s, record=record, slug=slug):
            return {"referral_id": getattr(s, record).uuid} | ({} if api else {"action": slug})

        def form(s, body=body, slug=slug):
            return {
                name: value
                for k, v in body(s).items()
                for name, value in browser_fields(f"{slug}-{k}", v).items()
            }

        entries.append(
            Entry(
                f"api-referral-{slug}" if api else "triage:referral-action",
                method="POST",
                variant="" if api else slug,
                kwargs=kwargs,
                body=body if api else form,
                expect=by_role(
                    gp=own(done if gp_may else 403),
                    consultant=own(done),
                    community_clinician=own(done if member_may else 403),
                    diagnostics_staff=HIDDEN,
                    # The API shows a manager their ICB's referrals pseudonymised, so an action
                    # is 403 there; the browser shows them no record at all, so 404.
                    manager=own(403) if api else HIDDEN,
                    admin=HIDDEN,
                ),
            )
        )
    return entries
