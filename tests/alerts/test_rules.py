"""The pure rules: when the daily digest is due, the header's count, one-line subjects."""

from datetime import datetime
from zoneinfo import ZoneInfo

from alerts.rules import UNREAD_COUNT_CAP, digest_cutoff, single_line, unread_count_text

LONDON = ZoneInfo("Europe/London")


def test_after_the_digest_hour_the_cutoff_is_today_at_that_hour():
    now = datetime(2026, 12, 1, 9, 30, tzinfo=LONDON)
    assert digest_cutoff(now, hour=7) == datetime(2026, 12, 1, 7, 0, tzinfo=LONDON)


def test_before_the_digest_hour_the_cutoff_is_yesterdays():
    now = datetime(2026, 12, 1, 6, 59, tzinfo=LONDON)
    assert digest_cutoff(now, hour=7) == datetime(2026, 11, 30, 7, 0, tzinfo=LONDON)


def test_the_cutoff_is_the_local_hour_on_both_sides_of_the_clocks_changing():
    # The clocks went forward at 01:00 on 29 March 2026: 07:00 is BST that day, GMT the day before.
    cutoff = digest_cutoff(datetime(2026, 3, 29, 6, 0, tzinfo=LONDON), hour=7)
    assert cutoff == datetime(2026, 3, 28, 7, 0, tzinfo=LONDON)
    assert cutoff.utcoffset().total_seconds() == 0
    summer = digest_cutoff(datetime(2026, 3, 29, 8, 0, tzinfo=LONDON), hour=7)
    assert summer.utcoffset().total_seconds() == 3600


def test_the_header_count_reads_99_plus_at_the_cap():
    assert unread_count_text(3) == "3"
    assert unread_count_text(UNREAD_COUNT_CAP) == "99+"


def test_a_subject_with_line_breaks_becomes_one_line():
    assert single_line("Result\r\nBcc: someone@example.com") == "Result Bcc: someone@example.com"
