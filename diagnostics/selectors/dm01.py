"""The 6-week diagnostic standard (DM01, docs/product.md §3): aggregates only, no patient data,
so the dashboards may show them to ICB managers."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from diagnostics import rules
from diagnostics.models import Booking
from diagnostics.rules import local_day_start


def dm01_summary(
    *, icb_id: int | None = None, hub_ids=None, today: date | None = None
) -> list[dict]:
    """Per hub and test type: requests still waiting for their test, how many of those have
    waited 6 weeks (42 days) or more, and that share (a Decimal from 0 to 1, four places).

    One grouped query over the waiting bookings (indexed on status and request time)."""
    today = today or timezone.localdate()
    # Requested on or before the cutoff date (local) means waiting 42 days or more today.
    over_before = local_day_start(rules.dm01_cutoff(today) + timedelta(days=1))
    waiting = Booking.objects.filter(status__in=rules.WAITING_STATUSES)
    if icb_id is not None:
        waiting = waiting.filter(slot__hub__icb_id=icb_id)
    if hub_ids is not None:
        waiting = waiting.filter(slot__hub_id__in=list(hub_ids))
    rows = (
        waiting.values(
            "slot__hub__ods_code", "slot__hub__name", "test_type__code", "test_type__name"
        )
        .annotate(
            waiting=Count("id"),
            over_6_weeks=Count("id", filter=Q(requested_at__lt=over_before)),
        )
        .order_by("slot__hub__name", "slot__hub__ods_code", "test_type__name")
    )
    return [
        {
            "hub": row["slot__hub__ods_code"],
            "hub_name": row["slot__hub__name"],
            "test_type": row["test_type__code"],
            "test_type_name": row["test_type__name"],
            "waiting": row["waiting"],
            "over_6_weeks": row["over_6_weeks"],
            "share_over_6_weeks": rules.share(row["over_6_weeks"], row["waiting"]),
        }
        for row in rows
    ]
