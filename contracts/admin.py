"""Contracts in the Django admin: read-only. Every write goes through the services (a discharge,
a fulfilment, a report), which the admin does not bypass; the records name patients, so reading
them here is audited like any page (client "admin", docs/product.md §1)."""

from __future__ import annotations

from django.contrib import admin

from audit.admin_base import AuditedReadOnlyAdmin
from contracts.models import Attendance, BreachReport, Discharge, Obligation


@admin.register(Obligation)
class ObligationAdmin(AuditedReadOnlyAdmin):
    ordering = ("-id",)
    audit_object_type = "obligation"
    list_display = ("uuid", "duty", "provider", "patient", "due_at", "status", "fulfilled_at")
    list_filter = ("duty", "status")
    list_select_related = ("provider", "patient")
    search_fields = ("=patient__nhs_number", "=provider__ods_code")


@admin.register(Discharge)
class DischargeAdmin(AuditedReadOnlyAdmin):
    ordering = ("-id",)
    audit_object_type = "discharge"
    list_display = ("uuid", "kind", "provider", "patient", "discharged_at", "medication_days")
    list_filter = ("kind", "fit_note")
    list_select_related = ("provider", "patient")
    search_fields = ("=patient__nhs_number", "=provider__ods_code")


@admin.register(Attendance)
class AttendanceAdmin(AuditedReadOnlyAdmin):
    ordering = ("-id",)
    audit_object_type = "attendance"
    list_display = ("uuid", "provider", "patient", "attended_at", "gp_action_needed")
    list_filter = ("gp_action_needed", "fit_note")
    list_select_related = ("provider", "patient")
    search_fields = ("=patient__nhs_number", "=provider__ods_code")


@admin.register(BreachReport)
class BreachReportAdmin(AuditedReadOnlyAdmin):
    ordering = ("-id",)
    audit_object_type = "breach_report"
    list_display = ("uuid", "duty", "provider", "practice", "patient", "occurred_on", "created_at")
    list_filter = ("duty",)
    list_select_related = ("provider", "practice", "patient")
    search_fields = ("=patient__nhs_number", "=provider__ods_code", "=practice__ods_code")
