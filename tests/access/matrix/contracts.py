"""The contracts app's pages and API operations in the access matrix (docs/contracts.md, Access).

The records are the scenario's overdue discharge summary at its trust and the breach report its
GP addressed to that trust (tests/access/records/contracts.py). Who holds what:

- an obligation: the provider's clinicians (the consultant), the GPs of the patient's practice
  (the GP; they see it but do not fulfil it: 403), the ICB's managers (pseudonymised API rows;
  no record page: 404);
- a breach report: the reporting practice's GPs (who edit its letter) and the provider
  addressed (who read it: 403 on edit); managers see counts only;
- recording a discharge or an attendance: the provider's clinicians, for a patient they may
  see (the consultant through the referral, the community clinician through the panel); a
  patient they may not see is a 400 naming ``nhs_number``, as for any unknown number.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from tests.access.matrix.shared import CLINICIANS_ONLY
from tests.access.spec import HIDDEN, REFUSED, Entry, by_role, every, for_everyone, own, showing


def obligation_uuid(s) -> str:
    return str(s.extra["contracts_obligation"].uuid)


def report_uuid(s) -> str:
    return str(s.extra["contracts_report"].uuid)


def obligation_kwargs(s) -> dict:
    return {"obligation_id": s.extra["contracts_obligation"].uuid}


def report_kwargs(s) -> dict:
    return {"report_id": s.extra["contracts_report"].uuid}


def _hours_ago(hours: int):
    return timezone.localtime(timezone.now() - timedelta(hours=hours))


def discharge_api(s) -> dict:
    return {
        "nhs_number": s.patient.nhs_number,
        "kind": "inpatient",
        "discharged_at": _hours_ago(3).isoformat(),
        "medication_days": 7,
        "fit_note": "not_needed",
    }


def attendance_api(s) -> dict:
    return {
        "nhs_number": s.patient.nhs_number,
        "attended_at": _hours_ago(3).isoformat(),
        "gp_action_needed": True,
    }


def _when(name: str, at) -> dict:
    return {
        f"{name}_0": at.day,
        f"{name}_1": at.month,
        f"{name}_2": at.year,
        f"{name}_3": at.hour,
        f"{name}_4": at.minute,
    }


def discharge_form(s) -> dict:
    return {
        "nhs_number": s.patient.nhs_number,
        "kind": "inpatient",
        **_when("discharged_at", _hours_ago(3)),
        "medication_days": 7,
        "fit_note": "not_needed",
    }


def attendance_form(s) -> dict:
    return {
        "nhs_number": s.patient.nhs_number,
        **_when("attended_at", _hours_ago(3)),
        "gp_action_needed": "on",
        "fit_note": "not_needed",
    }


def report_api(s) -> dict:
    return {
        "duty": "onward_referral",
        "provider": s.trust.ods_code,
        "nhs_number": s.patient.nhs_number,
        "occurred_on": (timezone.localdate() - timedelta(days=2)).isoformat(),
        "description": "The clinic asked us to refer to cardiology.",
    }


def report_form(s) -> dict:
    day = timezone.localdate() - timedelta(days=2)
    return {
        "duty": "onward_referral",
        "provider": s.trust.ods_code,
        "nhs_number": s.patient.nhs_number,
        "occurred_on_0": day.day,
        "occurred_on_1": day.month,
        "occurred_on_2": day.year,
        "description": "The clinic asked us to refer to cardiology.",
    }


# Recording an event: the provider's clinicians, for a patient they may see.
RECORDERS = {
    **for_everyone(403),
    "consultant": own(201, other=400, unrelated=400),
    "community_clinician": own(201, other=400, unrelated=400),
}
RECORDERS_BROWSER = {
    **for_everyone(403),
    "consultant": own(302, other=400, unrelated=400),
    "community_clinician": own(302, other=400, unrelated=400),
}
RECORDING_PAGE = {**for_everyone(403), "consultant": every(200), "community_clinician": every(200)}
OBLIGATION_READERS = by_role(
    gp=own(200),  # the patient's registered practice
    consultant=own(200),  # the provider whose duty it is
    community_clinician=HIDDEN,
    diagnostics_staff=HIDDEN,
    manager=HIDDEN,  # no record page: pseudonymised rows only
    admin=HIDDEN,
)
REPORT_READERS = by_role(
    gp=own(200),  # the reporting practice
    consultant=own(200),  # the provider addressed
    community_clinician=HIDDEN,
    diagnostics_staff=HIDDEN,
    manager=HIDDEN,  # counts only (compliance)
    admin=HIDDEN,
)
COMPLIANCE = {**for_everyone(200), "diagnostics_staff": REFUSED}

API = [
    Entry("api-contracts-discharges", method="POST", body=discharge_api, expect=RECORDERS),
    Entry("api-contracts-attendances", method="POST", body=attendance_api, expect=RECORDERS),
    Entry(
        "api-contracts-obligations",
        lists=True,
        shows=showing(obligation_uuid, "gp", "consultant", "manager"),
        expect=for_everyone(200),
    ),
    Entry(
        "api-contracts-obligation-detail",
        kwargs=obligation_kwargs,
        audited=True,
        expect={**OBLIGATION_READERS, "manager": own(200)},  # pseudonymised
    ),
    Entry(
        "api-contracts-obligation-fulfil",
        method="POST",
        kwargs=obligation_kwargs,
        expect={**OBLIGATION_READERS, "gp": own(403), "manager": own(403)},
    ),
    Entry(
        "api-contracts-breach-reports",
        lists=True,
        shows=showing(report_uuid, "gp", "consultant"),
        expect=for_everyone(200),
    ),
    Entry(
        "api-contracts-breach-reports",
        method="POST",
        body=report_api,
        # A patient not registered at the GP's practice is a field error, as for any number.
        expect={**for_everyone(403), "gp": own(201, other=400, unrelated=400)},
    ),
    Entry(
        "api-contracts-breach-report-detail",
        kwargs=report_kwargs,
        audited=True,
        expect=REPORT_READERS,
    ),
    Entry(
        "api-contracts-breach-report-detail",
        method="PATCH",
        kwargs=report_kwargs,
        body=lambda s: {"letter": "Dear colleagues, edited."},
        expect={**REPORT_READERS, "consultant": own(403)},
    ),
    Entry("api-contracts-compliance", expect=COMPLIANCE),
    Entry("api-contracts-compliance-weekly", expect=COMPLIANCE),
]

BROWSER = [
    Entry(
        "contracts:obligations",
        lists=True,
        shows=showing(obligation_uuid, "gp", "consultant", "manager"),
        expect={**for_everyone(200), "diagnostics_staff": REFUSED, "admin": REFUSED},
    ),
    Entry(
        "contracts:obligation-detail",
        kwargs=obligation_kwargs,
        audited=True,
        expect=OBLIGATION_READERS,
    ),
    Entry(
        "contracts:obligation-fulfil",
        method="POST",
        kwargs=obligation_kwargs,
        expect={**OBLIGATION_READERS, "gp": own(403), "consultant": own(302)},
    ),
    Entry("contracts:discharge-new", expect=RECORDING_PAGE),
    Entry("contracts:discharge-new", method="POST", body=discharge_form, expect=RECORDERS_BROWSER),
    Entry("contracts:attendance-new", expect=RECORDING_PAGE),
    Entry(
        "contracts:attendance-new", method="POST", body=attendance_form, expect=RECORDERS_BROWSER
    ),
    Entry(
        "contracts:breach-reports",
        lists=True,
        shows=showing(report_uuid, "gp", "consultant"),
        expect={**for_everyone(200), **CLINICIANS_ONLY, "diagnostics_staff": REFUSED},
    ),
    Entry("contracts:breach-report-new", expect={**for_everyone(403), "gp": every(200)}),
    Entry(
        "contracts:breach-report-new",
        method="POST",
        body=report_form,
        expect={**for_everyone(403), "gp": own(302, other=400, unrelated=400)},
    ),
    Entry(
        "contracts:breach-report-detail",
        kwargs=report_kwargs,
        audited=True,
        expect=REPORT_READERS,
    ),
    Entry(
        "contracts:breach-report-letter",
        method="POST",
        kwargs=report_kwargs,
        body=lambda s: {"letter": "Dear colleagues, edited."},
        expect={**REPORT_READERS, "gp": own(302), "consultant": own(403)},
    ),
    Entry(
        "contracts:breach-report-print",
        kwargs=report_kwargs,
        audited=True,
        expect=REPORT_READERS,
    ),
    Entry(
        "contracts:breach-report-download",
        kwargs=report_kwargs,
        audited=True,
        expect=REPORT_READERS,
    ),
    Entry("contracts:compliance", expect=COMPLIANCE),
]

ENTRIES: list[Entry] = [*API, *BROWSER]
