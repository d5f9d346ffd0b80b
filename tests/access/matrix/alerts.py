"""The alerts app's pages and API operations in the access matrix (docs/alerts.md).

Everyone signed in has an inbox. An alert to a user is theirs alone; a team alert to an
organisation is shared by its clinical staff, never by its managers or administrators (the
scenario's administrator works at the trust, and gets 404 for the trust's alert). Anyone else
gets 404 for an alert, so its existence does not leak."""

from __future__ import annotations

from tests.access.spec import HIDDEN, Entry, by_role, for_everyone, own, showing


def gp_alert_id(s):
    return {"alert_id": s.extra["alerts_gp"].uuid}


def team_alert_id(s):
    return {"alert_id": s.extra["alerts_team"].uuid}


def gp_alert_marker(s):
    return str(s.extra["alerts_gp"].uuid)


def team_alert_marker(s):
    return str(s.extra["alerts_team"].uuid)


INBOX_MARKERS = {**showing(gp_alert_marker, "gp"), **showing(team_alert_marker, "consultant")}


def own_alert(done: int) -> dict:
    """The GP's own alert: the GP alone."""
    return by_role(
        gp=own(done),
        consultant=HIDDEN,
        community_clinician=HIDDEN,
        diagnostics_staff=HIDDEN,
        manager=HIDDEN,
        admin=HIDDEN,
    )


def team_alert(done: int) -> dict:
    """The trust's team alert: its consultant (an unrelated consultant works at another trust);
    the administrator employed by the trust does not share it."""
    return by_role(
        gp=HIDDEN,
        consultant=own(done),
        community_clinician=HIDDEN,
        diagnostics_staff=HIDDEN,
        manager=HIDDEN,
        admin=HIDDEN,
    )


ENTRIES: list[Entry] = [
    Entry("alerts:inbox", lists=True, shows=INBOX_MARKERS, expect=for_everyone(200)),
    Entry(
        "alerts:inbox",
        variant="unread",
        query=lambda s: {"unread": "true"},
        lists=True,
        shows=INBOX_MARKERS,
        expect=for_everyone(200),
    ),
    Entry("alerts:read", method="POST", variant="own", kwargs=gp_alert_id, expect=own_alert(302)),
    Entry(
        "alerts:read", method="POST", variant="team", kwargs=team_alert_id, expect=team_alert(302)
    ),
    Entry("alerts:read-all", method="POST", expect=for_everyone(302)),
    Entry("alerts:preferences", expect=for_everyone(200)),
    Entry(
        "alerts:preferences",
        method="POST",
        body=lambda s: {"email_mode": "digest"},
        expect=for_everyone(302),
    ),
    Entry("api-alerts-list", lists=True, shows=INBOX_MARKERS, expect=for_everyone(200)),
    Entry(
        "api-alerts-read", method="POST", variant="own", kwargs=gp_alert_id, expect=own_alert(200)
    ),
    Entry(
        "api-alerts-read",
        method="POST",
        variant="team",
        kwargs=team_alert_id,
        expect=team_alert(200),
    ),
]
