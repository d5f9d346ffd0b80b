"""The diagnostics app's pages and API operations in the access matrix.

Two lists, one per author: the pages in ``PAGE_ENTRIES``, the API operations in
``API_ENTRIES``. The records they ask for are made by tests/access/records/diagnostics.py.
"""

from __future__ import annotations

from tests.access.matrix.shared import days_from_today
from tests.access.spec import HIDDEN, REFUSED, Entry, by_role, every, for_everyone, own, showing

# Pages (/diagnostics/): ``PAGE_ENTRIES``, below the API operations, whose helpers they share.


# API operations (/api/v1/diagnostics/).
def _booking(s):
    return {"booking_id": s.extra["diagnostics_booking"].uuid}


def _result(s):
    return {"result_id": s.extra["diagnostics_result"].uuid}


def _offered(s):
    return {"result_id": s.extra["diagnostics_offered"].uuid}


def _result_uuid(s):
    return str(s.extra["diagnostics_result"].uuid)


def _api_slot_body(s):
    return {
        "hub": s.orgs["hub"].ods_code,
        "test_type": "26604007",
        "starts_at": f"{days_from_today(5)}T09:00:00+00:00",
        "capacity": 2,
    }


def _api_booking_body(s):
    return {
        "nhs_number": s.patient.nhs_number,
        "test_type": "26604007",
        "slot": str(s.extra["diagnostics_slot"].uuid),
        "reason": "Tired all the time.",
    }


# Who sees a booking or result: the requester (the GP), the hub's staff, and every clinician
# with a relationship with the patient (the consultant through the referral, the community
# clinician through its panel); managers and administrators see no patient record.
_READERS = by_role(
    gp=own(200),
    consultant=own(200),
    community_clinician=own(200),
    diagnostics_staff=own(200),
    manager=HIDDEN,
    admin=HIDDEN,
)


def _only(role: str, status: int) -> dict:
    """Every reader may see the record (403 if not ``role``); strangers get 404."""
    return {
        **{r: own(403) for r in _READERS if _READERS[r] != HIDDEN},
        **_HIDDEN,
        role: own(status),
    }


_HIDDEN = {"manager": HIDDEN, "admin": HIDDEN}
# Moving and cancelling: the requester or the hub's staff.
_CHANGERS = {**_only("gp", 200), "diagnostics_staff": own(200)}
# Creating: the requesting roles, for a patient they may see; another patient's NHS number
# is a 400 naming ``nhs_number`` (as for a referral), so nothing leaks.
_REQUESTERS = by_role(
    gp=own(201, other=400, unrelated=400),
    consultant=own(201, other=400, unrelated=400),
    community_clinician=own(201, other=400, unrelated=400),
    diagnostics_staff=REFUSED,
    manager=REFUSED,
    admin=REFUSED,
)

API_ENTRIES: list[Entry] = [
    Entry("api-diagnostics-test-types", expect=for_everyone(200)),
    Entry("api-diagnostics-slots", expect=for_everyone(200)),
    Entry(
        "api-diagnostics-slots",
        method="POST",
        body=_api_slot_body,
        expect={**for_everyone(403), "diagnostics_staff": own(201, other=403, unrelated=403)},
    ),
    Entry("api-diagnostics-bookings", method="POST", body=_api_booking_body, expect=_REQUESTERS),
    Entry("api-diagnostics-booking-detail", kwargs=_booking, audited=True, expect=_READERS),
    Entry(
        "api-diagnostics-booking-move",
        method="POST",
        kwargs=_booking,
        body=lambda s: {"slot": str(s.extra["diagnostics_slot"].uuid)},
        expect=_CHANGERS,
    ),
    Entry("api-diagnostics-booking-cancel", method="POST", kwargs=_booking, expect=_CHANGERS),
    Entry(
        "api-diagnostics-booking-attendance",
        method="POST",
        kwargs=_booking,
        body=lambda s: {"attended": True},
        expect=_only("diagnostics_staff", 200),
    ),
    Entry(
        "api-diagnostics-booking-result",
        method="POST",
        kwargs=_booking,
        body=lambda s: {"abnormal": False, "summary": "Within normal limits."},
        expect=_only("diagnostics_staff", 201),
    ),
    Entry(
        "api-diagnostics-results",
        lists=True,
        shows=showing(_result_uuid, "gp", "consultant", "community_clinician", "diagnostics_staff"),
        expect=for_everyone(200),
    ),
    Entry("api-diagnostics-result-detail", kwargs=_result, audited=True, expect=_READERS),
    Entry("api-diagnostics-result-fhir", kwargs=_result, audited=True, expect=_READERS),
    Entry(
        "api-diagnostics-result-acknowledge",
        method="POST",
        kwargs=_result,
        body=lambda s: {"action": "Iron started; repeat in 4 weeks."},
        expect=_only("gp", 200),
    ),
    Entry(
        "api-diagnostics-result-transfer",
        method="POST",
        kwargs=_result,
        body=lambda s: {"to": s.users["consultant"].username},
        expect=_only("gp", 200),
    ),
    Entry(
        "api-diagnostics-result-accept-transfer",
        method="POST",
        kwargs=_offered,
        expect=_only("consultant", 200),
    ),
]
# End of the API operations.


# Pages (/diagnostics/). A page's action answers 302 (back to the record) where the API answers
# 200 or 201; everything else is as for the API.
def _web(expect: dict) -> dict:
    return {
        role: {rel: 302 if status in (200, 201) else status for rel, status in cells.items()}
        for role, cells in expect.items()
    }


def _given_name(s):
    return s.patient.given_name


def _booking_uuid(s):
    return str(s.extra["diagnostics_booking"].uuid)


def _offered_uuid(s):
    return str(s.extra["diagnostics_offered"].uuid)


def _page_booking(action: str):
    return lambda s: {"booking_id": s.extra["diagnostics_booking"].uuid, "action": action}


def _page_result(action: str, record: str = "diagnostics_result"):
    return lambda s: {"result_id": s.extra[record].uuid, "action": action}


def _week_template(s):
    week = days_from_today(14)
    year, month, day = week.split("-")
    return {
        "week_start_0": day,
        "week_start_1": month,
        "week_start_2": year,
        "rows-TOTAL_FORMS": 1,
        "rows-INITIAL_FORMS": 0,
        "rows-0-weekday": "1",
        "rows-0-start_0": "09",
        "rows-0-start_1": "00",
        "rows-0-test_type": "29303009",
        "rows-0-capacity": 2,
        "rows-0-count": 3,
        "rows-0-interval_minutes": 15,
    }


def _book_search(s):
    return {"nhs_number": s.patient.nhs_number, "test_type": "26604007"}


def _book_form(s):
    return {**_book_search(s), "slot": s.extra["diagnostics_slot"].uuid, "reason": "Tired."}


_CLINICIAN_PAGE = {**for_everyone(200), "manager": REFUSED, "admin": REFUSED}
_BOOKER_PAGE = {**_CLINICIAN_PAGE, "diagnostics_staff": REFUSED}
_HUB_PAGE = {**for_everyone(403), "diagnostics_staff": every(200)}
# Another patient's NHS number is a form error naming it (400), so nothing leaks.
_BOOKER_SEARCH = {
    **_BOOKER_PAGE,
    **{r: own(200, other=400, unrelated=400) for r in ("gp", "consultant", "community_clinician")},
}

PAGE_ENTRIES: list[Entry] = [
    Entry(
        "diagnostics:home",
        lists=True,
        shows=showing(_booking_uuid, "gp"),
        expect=_CLINICIAN_PAGE,
    ),
    Entry("diagnostics:capacity", expect=_HUB_PAGE),
    Entry(
        "diagnostics:capacity",
        method="POST",
        body=_week_template,
        expect={**for_everyone(403), "diagnostics_staff": every(302)},
    ),
    Entry("diagnostics:book", expect=_BOOKER_PAGE),
    Entry(
        "diagnostics:book",
        variant="search",
        query=_book_search,
        shows=showing(_given_name, "gp", "consultant", "community_clinician"),
        audited=True,
        expect=_BOOKER_SEARCH,
    ),
    Entry(
        "diagnostics:book",
        method="POST",
        body=_book_form,
        expect=_web(_REQUESTERS),
    ),
    Entry(
        "diagnostics:booking-detail",
        kwargs=lambda s: {"booking_id": s.extra["diagnostics_booking"].uuid},
        audited=True,
        expect=_READERS,
    ),
    Entry(
        "diagnostics:booking-action",
        method="POST",
        variant="move",
        kwargs=_page_booking("move"),
        body=lambda s: {"move-slot": s.extra["diagnostics_slot"].uuid},
        expect=_web(_CHANGERS),
    ),
    Entry(
        "diagnostics:booking-action",
        method="POST",
        variant="cancel",
        kwargs=_page_booking("cancel"),
        expect=_web(_CHANGERS),
    ),
    Entry(
        "diagnostics:booking-action",
        method="POST",
        variant="attendance",
        kwargs=_page_booking("attendance"),
        body=lambda s: {"attendance-attended": "true"},
        expect=_web(_only("diagnostics_staff", 200)),
    ),
    Entry(
        "diagnostics:booking-action",
        method="POST",
        variant="result",
        kwargs=_page_booking("result"),
        body=lambda s: {"result-abnormal": "false", "result-summary": "Within normal limits."},
        expect=_web(_only("diagnostics_staff", 201)),
    ),
    Entry(
        "diagnostics:results",
        lists=True,
        shows={"gp": _result_uuid, "consultant": _offered_uuid},
        expect=_CLINICIAN_PAGE,
    ),
    Entry(
        "diagnostics:result-detail",
        kwargs=_result,
        audited=True,
        expect=_READERS,
    ),
    Entry(
        "diagnostics:result-action",
        method="POST",
        variant="acknowledge",
        kwargs=_page_result("acknowledge"),
        body=lambda s: {"acknowledge-action": "Iron started; repeat in 4 weeks."},
        expect=_web(_only("gp", 200)),
    ),
    Entry(
        "diagnostics:result-action",
        method="POST",
        variant="transfer",
        kwargs=_page_result("transfer"),
        body=lambda s: {"transfer-to": s.users["consultant"].username},
        expect=_web(_only("gp", 200)),
    ),
    Entry(
        "diagnostics:result-action",
        method="POST",
        variant="accept-transfer",
        kwargs=_page_result("accept-transfer", "diagnostics_offered"),
        expect=_web(_only("consultant", 200)),
    ),
]
# End of the pages.

ENTRIES: list[Entry] = [*PAGE_ENTRIES, *API_ENTRIES]
