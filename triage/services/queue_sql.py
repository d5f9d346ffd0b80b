"""The SQL of the queue recomputation (``triage.services.queue``), one builder per statement.

On PostgreSQL a service is recomputed by one statement (:func:`service_sql`) that reads the
service's open rows once: it derives each row's effective category, urgency rank and target
date, ranks the queue, writes only the rows whose values change, and inserts the service's
backlog summary row from the same pass. Elsewhere (SQLite, in development) the same work is
three statements (:func:`targets_sql`, :func:`positions_sql`, :func:`summary_sql`).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from datetime import time as time_of_day

from django.conf import settings
from django.db import connection
from django.utils import timezone

from triage.models import OPEN_STATUSES, URGENCY_ORDER
from triage.rules import QUEUE_CATEGORIES, max_wait_days


def _quote_list(values) -> str:
    # Only our own constant category and status codes reach here; never user input.
    return ", ".join("'" + str(v).replace("'", "''") + "'" for v in values)


def _effective_category_sql() -> str:
    return (
        f"CASE WHEN category IN ({_quote_list(QUEUE_CATEGORIES)}) THEN category "
        "WHEN priority = 'two_week_wait' THEN '2WW' "
        "WHEN priority = 'urgent' THEN 'P2' ELSE 'P4' END"
    )


def _case_on(column: str, mapping: dict[str, int]) -> str:
    whens = " ".join(f"WHEN '{key}' THEN {int(value)}" for key, value in mapping.items())
    return f"CASE {column} {whens} END"


def _add_days_sql(date_column: str, days_sql: str) -> str:
    if connection.vendor == "postgresql":
        return f"({date_column} + ({days_sql}))"
    return f"date({date_column}, '+' || ({days_sql}) || ' days')"


def targets_sql() -> str:
    """One pass over the service's open rows, writing only rows whose values change."""
    open_list = _quote_list(OPEN_STATUSES)
    ranks = {category: index for index, category in enumerate(URGENCY_ORDER)}
    ec = _effective_category_sql()
    rank = _case_on(f"({ec})", ranks)
    target = _add_days_sql("clock_start", _case_on(f"({ec})", max_wait_days()))
    return f"""
        UPDATE triage_referral
        SET effective_category = {ec}, urgency_rank = {rank}, target_date = {target}
        WHERE provider_id = %s AND treatment_function_id = %s
          AND status IN ({open_list}) AND NOT deferred AND (
            effective_category IS DISTINCT FROM ({ec})
            OR urgency_rank IS DISTINCT FROM ({rank})
            OR target_date IS DISTINCT FROM ({target}))
    """


def positions_sql() -> str:
    """Rank the service's open rows: queue rows 1, 2, 3… in queue order, deferred rows none.

    One pass over the service's open rows (the service-status index), then an update by
    primary key of only the rows whose position changes. A referral that closes loses its
    position in the same update (``referral_transition``), so closed rows, which grow with
    the years, are never read here."""
    open_list = _quote_list(OPEN_STATUSES)
    return f"""
        WITH ranked AS (
            SELECT id, position AS stored,
                CASE WHEN NOT deferred THEN row_number() OVER (
                    PARTITION BY deferred
                    ORDER BY target_date, urgency_rank, clock_start, id) END AS pos
            FROM triage_referral
            WHERE provider_id = %s AND treatment_function_id = %s
              AND status IN ({open_list})
        )
        UPDATE triage_referral SET position = ranked.pos
        FROM ranked
        WHERE triage_referral.id = ranked.id AND ranked.stored IS DISTINCT FROM ranked.pos
    """


def summary_sql() -> tuple[str, str]:
    open_list = _quote_list(OPEN_STATUSES)
    delete = (
        "DELETE FROM triage_backlogsummary WHERE provider_id = %s AND treatment_function_id = %s"
    )
    recent_harm_review = (
        "EXISTS (SELECT 1 FROM triage_harmreview h WHERE h.referral_id = triage_referral.id "
        "AND h.created_at > %s)"
    )
    insert = f"""
        INSERT INTO triage_backlogsummary (
            provider_id, treatment_function_id, as_of, open_referrals, deferred, unreviewed,
            breached, waits_52_plus, waits_78_plus, waits_104_plus,
            band_0_18, band_18_52, band_52_78, band_78_104, band_104_plus,
            for_review, awaiting_booking, dna_rebook, harm_review_due, needs_action,
            computed_at)
        SELECT provider_id, treatment_function_id, %s, COUNT(*),
            SUM(CASE WHEN deferred THEN 1 ELSE 0 END),
            SUM(CASE WHEN category IS NULL THEN 1 ELSE 0 END),
            SUM(CASE WHEN NOT deferred AND target_date < %s THEN 1 ELSE 0 END),
            SUM(CASE WHEN clock_start <= %s THEN 1 ELSE 0 END),
            SUM(CASE WHEN clock_start <= %s THEN 1 ELSE 0 END),
            SUM(CASE WHEN clock_start <= %s THEN 1 ELSE 0 END),
            SUM(CASE WHEN clock_start > %s THEN 1 ELSE 0 END),
            SUM(CASE WHEN clock_start <= %s AND clock_start > %s THEN 1 ELSE 0 END),
            SUM(CASE WHEN clock_start <= %s AND clock_start > %s THEN 1 ELSE 0 END),
            SUM(CASE WHEN clock_start <= %s AND clock_start > %s THEN 1 ELSE 0 END),
            SUM(CASE WHEN clock_start <= %s THEN 1 ELSE 0 END),
            SUM(CASE WHEN NOT deferred AND status IN ('awaiting_review', 'under_review')
                THEN 1 ELSE 0 END),
            SUM(CASE WHEN NOT deferred AND status = 'accepted' AND NOT awaiting_rebook
                THEN 1 ELSE 0 END),
            SUM(CASE WHEN status = 'accepted' AND awaiting_rebook THEN 1 ELSE 0 END),
            SUM(CASE WHEN NOT deferred AND (clock_start <= %s OR target_date < %s)
                AND NOT {recent_harm_review} THEN 1 ELSE 0 END),
            SUM(CASE WHEN (NOT deferred AND status IN ('awaiting_review', 'under_review'))
                OR (NOT deferred AND status = 'accepted' AND NOT awaiting_rebook)
                OR (status = 'accepted' AND awaiting_rebook)
                OR (NOT deferred AND (clock_start <= %s OR target_date < %s)
                    AND NOT {recent_harm_review}) THEN 1 ELSE 0 END),
            %s
        FROM triage_referral
        WHERE provider_id = %s AND treatment_function_id = %s AND status IN ({open_list})
        GROUP BY provider_id, treatment_function_id
    """
    return delete, insert


def summary_params(provider_id: int, treatment_function_id: str, today: date) -> list:
    """Cut-off clock-start dates for 18, 52, 78 and 104 weeks waited (docs/product.md §6 bands),
    the harm-review window (triage.selectors.harm_review_due_q says the same in the ORM), twice
    (its own count and the distinct ``needs_action``), and the time of this recomputation."""
    w18, w52, w78, w104 = (today - timedelta(weeks=w) for w in (18, 52, 78, 104))
    harm_since = _harm_since(today)
    return [
        today, today, w52, w78, w104,
        w18, w18, w52, w52, w78, w78, w104, w104,
        w52, today, harm_since,
        w52, today, harm_since,
        connection.ops.adapt_datetimefield_value(timezone.now()),
        provider_id, treatment_function_id,
    ]  # fmt: skip


# The recomputation's aggregates of one service's rows (of ``flagged``): the backlog summary's
# counts, in the column order of ``SUMMARY_COLUMNS``.
SUMMARY_COLUMNS = (
    "open_referrals, deferred, unreviewed, breached, waits_52_plus, waits_78_plus, "
    "waits_104_plus, band_0_18, band_18_52, band_52_78, band_78_104, band_104_plus, "
    "for_review, awaiting_booking, dna_rebook, harm_review_due, needs_action"
)
SUMMARY_COUNTS = """
    COUNT(*),
    COUNT(*) FILTER (WHERE deferred),
    COUNT(*) FILTER (WHERE unreviewed),
    COUNT(*) FILTER (WHERE NOT deferred AND target < %(today)s),
    COUNT(*) FILTER (WHERE clock_start <= %(w52)s),
    COUNT(*) FILTER (WHERE clock_start <= %(w78)s),
    COUNT(*) FILTER (WHERE clock_start <= %(w104)s),
    COUNT(*) FILTER (WHERE clock_start > %(w18)s),
    COUNT(*) FILTER (WHERE clock_start <= %(w18)s AND clock_start > %(w52)s),
    COUNT(*) FILTER (WHERE clock_start <= %(w52)s AND clock_start > %(w78)s),
    COUNT(*) FILTER (WHERE clock_start <= %(w78)s AND clock_start > %(w104)s),
    COUNT(*) FILTER (WHERE clock_start <= %(w104)s),
    COUNT(*) FILTER (WHERE for_review),
    COUNT(*) FILTER (WHERE to_book),
    COUNT(*) FILTER (WHERE to_rebook),
    COUNT(*) FILTER (WHERE harm_due),
    COUNT(*) FILTER (WHERE for_review OR to_book OR to_rebook OR harm_due)
"""


def _derived_ctes(where: str, *, per_service: bool) -> str:
    """``computed``, ``ranked`` and ``flagged``: each open row of the rows ``where`` selects,
    with its derived queue values, its place in its service's queue and its worklist flags.
    ``per_service``: a service's few rows look their recent harm review up one by one; the
    whole table is joined to the recent harm reviews once instead."""
    open_list = _quote_list(OPEN_STATUSES)
    ranks = {category: index for index, category in enumerate(URGENCY_ORDER)}
    ec = _effective_category_sql()
    rank = _case_on(f"({ec})", ranks)
    target = _add_days_sql("clock_start", _case_on(f"({ec})", max_wait_days()))
    # Codes compared byte by byte: the locale's rules cost a national sort seconds.
    collate = ' COLLATE "C"' if connection.vendor == "postgresql" else ""
    if per_service:
        reviewed_lately, harm_join = (
            "EXISTS (SELECT 1 FROM triage_harmreview h WHERE h.referral_id = ranked.id "
            "AND h.created_at > %(harm_since)s)",
            "",
        )
    else:
        reviewed_lately, harm_join = (
            "recent_harm.referral_id IS NOT NULL",
            "LEFT JOIN (SELECT DISTINCT referral_id FROM triage_harmreview "
            "WHERE created_at > %(harm_since)s) AS recent_harm "
            "ON recent_harm.referral_id = ranked.id",
        )
    return f"""
        computed AS (
            SELECT provider_id, treatment_function_id, id, deferred, clock_start, status,
                awaiting_rebook, category IS NULL AS unreviewed, position AS stored,
                effective_category AS old_ec, urgency_rank AS old_rank,
                target_date AS old_target,
                -- Rows deferred at the patient's choice keep their values (and lose their
                -- position): the queue's own rows are derived afresh.
                CASE WHEN deferred THEN effective_category ELSE {ec} END AS ec,
                CASE WHEN deferred THEN urgency_rank ELSE {rank} END AS rank,
                CASE WHEN deferred THEN target_date ELSE {target} END AS target
            FROM triage_referral
            WHERE {where} AND status IN ({open_list})
        ),
        ranked AS (
            SELECT computed.*,
                CASE WHEN NOT deferred THEN row_number() OVER (
                    PARTITION BY provider_id, treatment_function_id{collate}, deferred
                    ORDER BY target, rank, clock_start, id) END AS pos,
                (old_ec IS DISTINCT FROM ec OR old_rank IS DISTINCT FROM rank
                    OR old_target IS DISTINCT FROM target) AS target_changed
            FROM computed
        ),
        flagged AS (
            SELECT ranked.*,
                NOT deferred AND status IN ('awaiting_review', 'under_review') AS for_review,
                NOT deferred AND status = 'accepted' AND NOT awaiting_rebook AS to_book,
                status = 'accepted' AND awaiting_rebook AS to_rebook,
                NOT deferred AND (clock_start <= %(w52)s OR target < %(today)s)
                    AND NOT {reviewed_lately} AS harm_due
            FROM ranked {harm_join}
        )"""


def service_sql() -> str:
    """PostgreSQL: the whole recomputation of one service in one pass over its open rows.
    Parameters by name: those of :func:`service_params`. Returns one row: the targets
    changed and the positions changed."""
    where = "provider_id = %(provider)s AND treatment_function_id = %(function)s"
    return f"""
        WITH {_derived_ctes(where, per_service=True)},
        written AS (
            UPDATE triage_referral SET effective_category = flagged.ec,
                urgency_rank = flagged.rank, target_date = flagged.target,
                position = flagged.pos
            FROM flagged
            WHERE triage_referral.id = flagged.id
              AND (flagged.target_changed OR flagged.stored IS DISTINCT FROM flagged.pos)
            RETURNING flagged.target_changed,
                flagged.stored IS DISTINCT FROM flagged.pos AS position_changed
        ),
        summary AS (
            INSERT INTO triage_backlogsummary (provider_id, treatment_function_id, as_of,
                {SUMMARY_COLUMNS}, computed_at)
            SELECT %(provider)s, %(function)s, %(today)s, {SUMMARY_COUNTS}, %(now)s
            FROM flagged
            HAVING COUNT(*) > 0
        )
        SELECT COUNT(*) FILTER (WHERE target_changed),
               COUNT(*) FILTER (WHERE position_changed)
        FROM written
    """


def survey_sql() -> str:
    """PostgreSQL: every service's open rows in one sequential pass, writing nothing: per
    service, whether any row's target or position is stale, and its backlog summary counts.
    Parameters: those of :func:`service_params` (the service's are not used). The rows are
    (provider, treatment function, stale, the counts of ``SUMMARY_COLUMNS``)."""
    return f"""
        WITH {_derived_ctes("TRUE", per_service=False)}
        SELECT provider_id, treatment_function_id,
            bool_or(target_changed OR stored IS DISTINCT FROM pos), {SUMMARY_COUNTS}
        FROM flagged
        GROUP BY provider_id, treatment_function_id
        ORDER BY provider_id, treatment_function_id
    """


def provider_services_sql() -> str:
    """The treatment functions a provider has referrals in, each found by one probe
    of the (provider, treatment function, status) index for the next function after the last
    (a loose index scan). A DISTINCT would read every referral the provider ever had: about a
    second for a national trust, where this takes a probe per service. Parameters: the
    provider, twice."""
    return """
        WITH RECURSIVE functions AS (
            SELECT (SELECT treatment_function_id FROM triage_referral
                    WHERE provider_id = %s ORDER BY treatment_function_id LIMIT 1) AS function
            UNION ALL
            SELECT (SELECT r.treatment_function_id FROM triage_referral r
                    WHERE r.provider_id = %s AND r.treatment_function_id > functions.function
                    ORDER BY r.treatment_function_id LIMIT 1)
            FROM functions WHERE functions.function IS NOT NULL
        )
        SELECT function FROM functions WHERE function IS NOT NULL
    """


def summary_upsert_sql(rows: int) -> str:
    """PostgreSQL: ``rows`` summary rows from a survey written in, each unless its service was
    recomputed after the survey's snapshot (its row is then newer than the survey's).
    Parameters: for each row, provider, treatment function, as of, the counts and the
    survey's time."""
    width = 3 + len(SUMMARY_COLUMNS.split(",")) + 1
    values = ", ".join(["(" + ", ".join(["%s"] * width) + ")"] * rows)
    columns = [c.strip() for c in SUMMARY_COLUMNS.split(",")]
    sets = ", ".join(f"{c} = EXCLUDED.{c}" for c in ["as_of", *columns, "computed_at"])
    return f"""
        INSERT INTO triage_backlogsummary (provider_id, treatment_function_id, as_of,
            {SUMMARY_COLUMNS}, computed_at)
        VALUES {values}
        ON CONFLICT (provider_id, treatment_function_id) DO UPDATE SET {sets}
        WHERE triage_backlogsummary.computed_at IS NULL
           OR triage_backlogsummary.computed_at <= EXCLUDED.computed_at
    """


def summary_clear_sql() -> str:
    """PostgreSQL: a provider's summary rows of services the survey found no open rows in,
    unless recomputed after it. Parameters: provider, the services found (an array), time."""
    return """
        DELETE FROM triage_backlogsummary
        WHERE provider_id = %s AND NOT (treatment_function_id = ANY(%s))
          AND (computed_at IS NULL OR computed_at <= %s)
    """


def service_params(provider_id: int, treatment_function_id: str, today: date) -> dict:
    """The named parameters of :func:`service_sql`: the service, the day, the cut-off clock
    starts of the wait bands (docs/product.md §6), the harm-review window and the time."""
    w18, w52, w78, w104 = (today - timedelta(weeks=w) for w in (18, 52, 78, 104))
    return {
        "provider": provider_id,
        "function": treatment_function_id,
        "today": today,
        "w18": w18,
        "w52": w52,
        "w78": w78,
        "w104": w104,
        "harm_since": _harm_since(today),
        # The summary's time, the application's clock (what a survey's writes compare with).
        "now": timezone.now(),
    }


def _harm_since(today: date) -> datetime:
    """Harm reviews after this time still count (triage.selectors.harm_review_due_q)."""
    return timezone.make_aware(
        datetime.combine(
            today - timedelta(days=settings.TRIAGE_HARM_REVIEW_INTERVAL_DAYS), time_of_day.max
        )
    )
