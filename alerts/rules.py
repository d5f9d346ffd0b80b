"""Pure rules of the alerts inbox: no database, no clock (callers pass ``now``)."""

from __future__ import annotations

from datetime import datetime, timedelta

# The header shows at most this many unread alerts ("99+" beyond), so counting a team inbox
# never reads more than this many index entries however many are unread.
UNREAD_COUNT_CAP = 100


def unread_count_text(count: int) -> str:
    """The header's count: "3", or "99+" once it reaches the cap."""
    return f"{UNREAD_COUNT_CAP - 1}+" if count >= UNREAD_COUNT_CAP else str(count)


def digest_cutoff(now_local: datetime, *, hour: int) -> datetime:
    """The latest daily digest time at or before ``now_local`` (an aware local time): today at
    ``hour``:00, or yesterday's if that has not come yet. A user whose digest covers alerts up
    to this time or later has had today's digest."""
    today = now_local.replace(hour=hour, minute=0, second=0, microsecond=0)
    if today <= now_local:
        return today
    return (now_local - timedelta(days=1)).replace(hour=hour, minute=0, second=0, microsecond=0)


def single_line(text: str) -> str:
    """An email subject line: whitespace (line breaks included) collapsed to single spaces, so
    no subject can add a header to the message."""
    return " ".join(text.split())
