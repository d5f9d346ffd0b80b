"""The API's operations (/api/v1/) in the access matrix."""

from __future__ import annotations

from tests.access.matrix.shared import (
    A_AND_G,
    ADVICE_READERS,
    CLINICIANS_ONLY,
    PANEL_HOLDERS,
    PATIENT_READERS,
    REFERRAL_READERS,
    SEARCH,
    advice_uuid,
    days_from_today,
    invitation,
    panel_uuid,
    patient_kwargs,
    patient_name,
    referral_action_entries,
    referral_kwargs,
    referral_uuid,
)
from tests.access.scenario import INVITEES
from tests.access.spec import HIDDEN, Entry, by_role, every, for_everyone, own, showing

API = [
    Entry(
        "api-patient-list",
        query=lambda s: SEARCH,
        lists=True,
        shows=showing(patient_name, "gp", "consultant", "community_clinician"),
        expect=for_everyone(200),
    ),
    Entry("api-patient-detail", kwargs=patient_kwargs, audited=True, expect=PATIENT_READERS),
    # The pickers' search: organisations for everyone signed in, clinicians for clinicians.
    Entry("api-organisation-search", query=lambda s: {"search": "a"}, expect=for_everyone(200)),
    Entry(
        "api-clinician-search",
        query=lambda s: {"search": "a"},
        expect={**for_everyone(200), **CLINICIANS_ONLY},
    ),
    Entry(
        "api-queue",
        lists=True,
        shows=showing(referral_uuid, "gp", "consultant", "community_clinician", "manager"),
        expect=for_everyone(200),
    ),
    Entry(
        "api-referral-list",
        lists=True,
        shows=showing(referral_uuid, "gp", "consultant", "community_clinician", "manager"),
        expect=for_everyone(200),
    ),
    Entry(
        "api-referral-list",
        method="POST",
        body=lambda s: {
            "nhs_number": s.patient.nhs_number,
            "provider": s.trust.ods_code,
            "treatment_function": "110",
            "priority": "routine",
            "clock_start": days_from_today(-10),
            "ubrn": "999900000017",
        },
        # Only GPs refer; a patient the GP may not see is a field error on nhs_number.
        expect={**for_everyone(403), "gp": own(201, other=400, unrelated=400)},
    ),
    Entry(
        "api-referral-detail",
        kwargs=referral_kwargs,
        audited=True,
        expect={**REFERRAL_READERS, "manager": own(200)},  # pseudonymised
    ),
    *referral_action_entries(api=True),
    Entry("api-referral-fhir", kwargs=referral_kwargs, audited=True, expect=REFERRAL_READERS),
    Entry(
        "api-panel-list",
        holders=PANEL_HOLDERS,
        lists=True,
        shows=showing(panel_uuid, "gp", "consultant", "community_clinician", "manager"),
        expect=for_everyone(200),
    ),
    Entry(
        "api-panel-list",
        method="POST",
        body=lambda s: {
            "name": "Matrix spine panel",
            "provider": s.trust.ods_code,
            "treatment_function": "110",
            "members": [
                str(s.users[k].uuid) for k in ("panel_gp", "consultant", "community_clinician")
            ],
        },
        # triage.permissions.can_set_up_panels: the provider's clinicians, or an administrator.
        expect={
            **for_everyone(403),
            "consultant": own(201, other=403, unrelated=403),
            "admin": every(201),
        },
    ),
    Entry(
        "api-panel-detail",
        kwargs=lambda s: {"panel_id": s.panel_a.uuid},
        holders=PANEL_HOLDERS,
        expect=by_role(
            gp=own(200),
            consultant=own(200),
            community_clinician=own(200),
            diagnostics_staff=HIDDEN,
            manager=own(200),
            admin=HIDDEN,
        ),
    ),
    Entry(
        "api-panel-assign",
        method="POST",
        kwargs=lambda s: {"panel_id": s.panel_b.uuid},
        body=lambda s: {"referrals": [str(s.referral.uuid)]},
        holders=PANEL_HOLDERS,
        expect=by_role(
            gp=own(403),
            consultant=own(200),
            community_clinician=own(403),
            diagnostics_staff=HIDDEN,
            manager=own(403),
            admin=HIDDEN,
        ),
    ),
    Entry(
        "api-panel-invitations",
        holders=INVITEES,
        lists=True,
        shows=showing(panel_uuid, *INVITEES),
        expect=for_everyone(200),
    ),
    *(
        Entry(
            f"api-panel-membership-{answer}",
            method="POST",
            kwargs=lambda s: {"panel_id": s.panel_a.uuid},
            holders=INVITEES,
            expect=invitation(200),
        )
        for answer in ("accept", "decline")
    ),
    Entry(
        "api-advice-list",
        lists=True,
        shows=showing(advice_uuid, "gp", "consultant"),
        expect=for_everyone(200),
    ),
    Entry(
        "api-advice-list",
        method="POST",
        body=lambda s: {
            "nhs_number": s.patient.nhs_number,
            "provider": s.trust.ods_code,
            **A_AND_G,
        },
        expect={**for_everyone(403), "gp": own(201, other=400, unrelated=400)},
    ),
    Entry(
        "api-advice-reply",
        method="POST",
        kwargs=lambda s: {"advice_id": s.advice_to_gp.uuid},
        body=lambda s: {"answer": "No X-ray in the last year."},
        expect={**ADVICE_READERS, "gp": own(200), "consultant": own(403)},
    ),
    Entry(
        "api-advice-convert",
        method="POST",
        kwargs=lambda s: {"advice_id": s.advice_to_specialist.uuid},
        body=lambda s: {"priority": "routine"},
        expect={**ADVICE_READERS, "gp": own(403), "consultant": own(201)},
    ),
]
