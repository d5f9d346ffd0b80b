"""The dashboards in the Django admin: read-only. The snapshots are aggregates (no patient), so
reading them here audits nothing; they are written only by the daily snapshot."""

from __future__ import annotations

from django.contrib import admin

from audit.admin_base import ReadOnlyAdmin
from dashboards.models import ServiceSnapshot, SnapshotDay


@admin.register(SnapshotDay)
class SnapshotDayAdmin(ReadOnlyAdmin):
    list_display = ("day", "taken_at", "backfilled")
    list_filter = ("backfilled",)
    date_hierarchy = "day"


@admin.register(ServiceSnapshot)
class ServiceSnapshotAdmin(ReadOnlyAdmin):
    list_display = (
        "day",
        "provider",
        "treatment_function",
        "open_referrals",
        "breached",
        "band_52_78",
        "band_78_104",
        "band_104_plus",
    )
    list_select_related = ("provider",)
    list_filter = ("day",)
    search_fields = ("provider__ods_code", "treatment_function")
    show_full_result_count = False
    exclude = ("weeks_waited",)
