"""Triage in the Django admin: read-only. Every write goes through the services (a review, a
transition, a panel seat), which the admin does not bypass; referrals and advice requests hold
patient data, so reading them here is audited like any page (client "admin", docs/product.md
§1): the list one "list" event per row shown, a record opened one "view" event."""

from __future__ import annotations

from django.contrib import admin

from audit.admin_base import AuditedReadOnlyAdmin, ReadOnlyAdmin
from triage.models import AdviceRequest, Referral, ReviewPanel, TreatmentFunction


@admin.register(Referral)
class ReferralAdmin(AuditedReadOnlyAdmin):
    audit_object_type = "referral"
    list_display = (
        "__str__",
        "patient",
        "provider",
        "treatment_function",
        "priority",
        "category",
        "status",
        "clock_start",
    )
    list_filter = ("status", "priority", "category", "deferred")
    list_select_related = ("patient", "provider", "treatment_function")
    search_fields = ("=ubrn", "=external_id", "=patient__nhs_number")
    ordering = ("-id",)


@admin.register(AdviceRequest)
class AdviceRequestAdmin(AuditedReadOnlyAdmin):
    audit_object_type = "advice_request"
    list_display = (
        "uuid",
        "direction",
        "status",
        "patient",
        "practice",
        "provider",
        "treatment_function",
        "asked_at",
    )
    list_filter = ("direction", "status")
    list_select_related = ("patient", "practice", "provider", "treatment_function")
    search_fields = ("=patient__nhs_number",)
    ordering = ("-id",)


@admin.register(ReviewPanel)
class ReviewPanelAdmin(ReadOnlyAdmin):
    list_display = ("name", "provider", "treatment_function", "created_at")
    list_select_related = ("provider", "treatment_function")
    search_fields = ("name", "provider__ods_code")


@admin.register(TreatmentFunction)
class TreatmentFunctionAdmin(ReadOnlyAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")
