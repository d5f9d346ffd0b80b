"""Contracts in the Django admin: read-only. Every write goes through the services (a discharge,
a fulfilment, a report), which the admin does not bypass; the records name patients, so reading
them here is audited like any page (client "admin", docs/product.md §1)."""

from __future__ import annotations

from django.contrib import admin

from audit.models import AuditAction
from audit.services import audit_records_shown
from audit.web import admin_context
from contracts.models import Attendance, BreachReport, Discharge, Obligation


class AuditedReadOnlyAdmin(admin.ModelAdmin):
    """Shown, never added, changed or deleted here; each read audited, one event per record."""

    audit_object_type = ""
    show_full_result_count = False
    ordering = ("-id",)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if changelist is not None:
            self._audit(request, changelist.result_list, AuditAction.LIST)
        return response

    def get_object(self, request, object_id, from_field=None):
        record = super().get_object(request, object_id, from_field)
        if record is not None:
            self._audit(request, [record], AuditAction.VIEW)
        return record

    def _audit(self, request, records, action: str) -> None:
        audit_records_shown(
            actor=request.user,
            context=admin_context(request),
            records=records,
            action=action,
            object_type=self.audit_object_type,
        )


@admin.register(Obligation)
class ObligationAdmin(AuditedReadOnlyAdmin):
    audit_object_type = "obligation"
    list_display = ("uuid", "duty", "provider", "patient", "due_at", "status", "fulfilled_at")
    list_filter = ("duty", "status")
    list_select_related = ("provider", "patient")
    search_fields = ("=patient__nhs_number", "=provider__ods_code")


@admin.register(Discharge)
class DischargeAdmin(AuditedReadOnlyAdmin):
    audit_object_type = "discharge"
    list_display = ("uuid", "kind", "provider", "patient", "discharged_at", "medication_days")
    list_filter = ("kind", "fit_note")
    list_select_related = ("provider", "patient")
    search_fields = ("=patient__nhs_number", "=provider__ods_code")


@admin.register(Attendance)
class AttendanceAdmin(AuditedReadOnlyAdmin):
    audit_object_type = "attendance"
    list_display = ("uuid", "provider", "patient", "attended_at", "gp_action_needed")
    list_filter = ("gp_action_needed", "fit_note")
    list_select_related = ("provider", "patient")
    search_fields = ("=patient__nhs_number", "=provider__ods_code")


@admin.register(BreachReport)
class BreachReportAdmin(AuditedReadOnlyAdmin):
    audit_object_type = "breach_report"
    list_display = ("uuid", "duty", "provider", "practice", "patient", "occurred_on", "created_at")
    list_filter = ("duty",)
    list_select_related = ("provider", "practice", "patient")
    search_fields = ("=patient__nhs_number", "=provider__ods_code", "=practice__ods_code")
