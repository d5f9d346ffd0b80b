"""The browser's pages in the access matrix."""

from __future__ import annotations

from tests.access.matrix.shared import (
    A_AND_G,
    ADVICE_READERS,
    CLINICIANS_ONLY,
    PANEL_CANDIDATES,
    PANEL_HOLDERS,
    PATIENT_READERS,
    REFERRAL_READERS,
    SEARCH,
    advice_uuid,
    invitation,
    panel_uuid,
    patient_kwargs,
    patient_name,
    referral_action_entries,
    referral_kwargs,
    referral_uuid,
)
from tests.access.scenario import INVITEES
from tests.access.spec import HIDDEN, REFUSED, Entry, by_role, every, for_everyone, own, showing

WORKLIST_MARKERS = {
    "for-review": showing(referral_uuid, "consultant", "community_clinician"),
    "advice": {"gp": advice_uuid, "consultant": lambda s: str(s.advice_to_specialist.uuid)},
    "awaiting-booking": showing(
        lambda s: str(s.accepted.uuid), "consultant", "community_clinician"
    ),
    "dna-rebook": showing(lambda s: str(s.rebook.uuid), "consultant", "community_clinician"),
    "harm-reviews": showing(referral_uuid, "consultant", "community_clinician"),
}

BROWSER = [
    Entry("home", expect=for_everyone(200)),
    Entry(
        "patient-search",
        query=lambda s: SEARCH,
        lists=True,
        shows=showing(patient_name, "gp", "consultant", "community_clinician"),
        expect={**for_everyone(200), **CLINICIANS_ONLY},
    ),
    Entry("patient-detail", kwargs=patient_kwargs, audited=True, expect=PATIENT_READERS),
    # The pickers' suggestions: organisations are reference data, so every signed-in user;
    # the staff list is for clinicians picking colleagues (directory/web/pickers.py).
    Entry("picker-organisations", query=lambda s: {"search": "a"}, expect=for_everyone(200)),
    Entry(
        "picker-clinicians",
        query=lambda s: {"search": "a"},
        expect={**for_everyone(200), **CLINICIANS_ONLY},
    ),
    Entry(
        "triage:queue",
        lists=True,
        shows=showing(referral_uuid, "gp", "consultant", "community_clinician", "manager"),
        expect={**for_everyone(200), "admin": REFUSED},
    ),
    Entry(
        "triage:deferred",
        lists=True,
        shows=showing(
            lambda s: str(s.deferred.uuid), "gp", "consultant", "community_clinician", "manager"
        ),
        expect={**for_everyone(200), "admin": REFUSED},
    ),
    Entry("triage:referral-detail", kwargs=referral_kwargs, audited=True, expect=REFERRAL_READERS),
    *referral_action_entries(api=False),
    Entry("triage:worklists", expect={**for_everyone(200), **CLINICIANS_ONLY}),
    *(
        Entry(
            "triage:worklist-detail",
            variant=slug,
            kwargs=lambda s, slug=slug: {"slug": slug},
            lists=True,
            shows=markers,
            expect={**for_everyone(200), **CLINICIANS_ONLY},
        )
        for slug, markers in WORKLIST_MARKERS.items()
    ),
    Entry(
        "triage:advice-list",
        lists=True,
        shows=showing(advice_uuid, "gp", "consultant"),
        expect={**for_everyone(200), **CLINICIANS_ONLY},
    ),
    Entry("triage:advice-new", expect={**for_everyone(403), "gp": every(200)}),
    Entry(
        "triage:advice-new",
        method="POST",
        body=lambda s: {
            "nhs_number": s.patient.nhs_number,
            "provider": s.trust.ods_code,
            **A_AND_G,
        },
        # A stranger's NHS number is a form error naming the field, as for any unknown number.
        expect={**for_everyone(403), "gp": own(302, other=400, unrelated=400)},
    ),
    Entry(
        "triage:advice-detail",
        kwargs=lambda s: {"advice_id": s.advice_to_gp.uuid},
        audited=True,
        expect=ADVICE_READERS,
    ),
    Entry(
        "triage:advice-action",
        method="POST",
        variant="reply",
        kwargs=lambda s: {"advice_id": s.advice_to_gp.uuid, "action": "reply"},
        body=lambda s: {"answer": "No X-ray in the last year."},
        # The consultant sees the question they asked but may not answer it: 403.
        expect={**ADVICE_READERS, "gp": own(302), "consultant": own(403)},
    ),
    Entry(
        "triage:advice-action",
        method="POST",
        variant="convert",
        kwargs=lambda s: {"advice_id": s.advice_to_specialist.uuid, "action": "convert"},
        body=lambda s: {"priority": "routine", "note": ""},
        # The asking GP sees their request but only the specialist converts it: 403.
        expect={**ADVICE_READERS, "gp": own(403), "consultant": own(302)},
    ),
    Entry(
        "triage:panels",
        holders=PANEL_HOLDERS,
        lists=True,
        shows=showing(panel_uuid, "gp", "consultant", "community_clinician", "manager"),
        expect={**for_everyone(200), "admin": REFUSED},
    ),
    *(
        Entry(
            "triage:panel-new",
            method=method,
            body=lambda s: {
                "name": "Matrix spine panel",
                "treatment_function": "110",
                "members": PANEL_CANDIDATES,
            },
            # Provider clinicians set up panels of their own organisation.
            expect={**for_everyone(403), "consultant": every(ok), "community_clinician": every(ok)},
        )
        for method, ok in (("GET", 200), ("POST", 302))
    ),
    Entry(
        "triage:panel-detail",
        kwargs=lambda s: {"panel_id": s.panel_a.uuid},
        holders=PANEL_HOLDERS,
        expect=by_role(
            gp=own(200),  # a member
            consultant=own(200),  # the provider running it
            community_clinician=own(200),  # a member
            diagnostics_staff=HIDDEN,
            manager=own(200),  # the commissioner, rows pseudonymised
            admin=REFUSED,
        ),
    ),
    Entry(
        "triage:panel-assign",
        method="POST",
        kwargs=lambda s: {"panel_id": s.panel_b.uuid},
        body=lambda s: {"treatment_function": "110"},
        holders=PANEL_HOLDERS,
        expect=by_role(
            gp=own(403),  # a member, but only the provider assigns
            consultant=own(302),
            community_clinician=own(403),
            diagnostics_staff=HIDDEN,
            manager=own(403),
            admin=HIDDEN,
        ),
    ),
    *(
        Entry(
            f"triage:panel-membership-{answer}",
            method="POST",
            kwargs=lambda s: {"panel_id": s.panel_a.uuid},
            holders=INVITEES,
            expect=invitation(302),
        )
        for answer in ("accept", "decline")
    ),
]

AUDIT = [
    Entry(
        "audit-events",
        query=lambda s: {"nhs_number": s.patient.nhs_number},
        lists=True,
        # The audit search is for privacy officers, who hold the admin role; a page, not a
        # record, so everyone else gets 403 (audit/permissions.py).
        expect={**for_everyone(403), "admin": every(200)},
    ),
]
