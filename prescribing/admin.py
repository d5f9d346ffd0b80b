"""Prescribing in the Django admin: read-only. Every write goes through the services
(prescribing under a shared care agreement is refused there until the GP accepts), which the
admin does not bypass: it can add, change or delete nothing. Prescriptions and agreements hold
patient data, so reading them here is audited like any page (client "admin", docs/product.md
§1): a list one "list" event per row shown, a record opened one "view" event."""

from __future__ import annotations

from django.contrib import admin

from audit.models import AuditAction
from audit.services import audit_records_shown
from audit.web import admin_context
from prescribing.models import (
    Budget,
    MonitoringTest,
    Prescription,
    PrescriptionItem,
    SharedCareAgreement,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AuditedReadOnlyAdmin(ReadOnlyAdmin):
    """A read-only admin of records that name a patient (``patient_id`` and ``uuid``)."""

    audit_object_type = ""
    show_full_result_count = False

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


@admin.register(Budget)
class BudgetAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "icb", "financial_year", "therapeutic_area", "amount")
    list_filter = ("financial_year",)
    list_select_related = ("icb",)
    search_fields = ("icb__ods_code", "therapeutic_area")
    ordering = ("-financial_year", "id")


class PrescriptionItemInline(ReadOnlyInline):
    model = PrescriptionItem
    fields = ("line", "medicine", "dmd_code", "quantity", "days_supply", "cost")


@admin.register(Prescription)
class PrescriptionAdmin(AuditedReadOnlyAdmin):
    audit_object_type = "prescription"
    list_display = (
        "uuid",
        "patient",
        "prescriber",
        "pharmacy",
        "status",
        "total_cost",
        "issued_at",
    )
    list_filter = ("status", "discharge")
    list_select_related = ("patient", "prescriber", "pharmacy")
    search_fields = ("=patient__nhs_number", "=uuid")
    ordering = ("-id",)
    inlines = [PrescriptionItemInline]


class MonitoringTestInline(ReadOnlyInline):
    model = MonitoringTest
    fields = ("test_type", "name", "interval_days")


@admin.register(SharedCareAgreement)
class SharedCareAgreementAdmin(AuditedReadOnlyAdmin):
    audit_object_type = "shared_care_agreement"
    list_display = ("uuid", "patient", "medicine", "consultant", "gp", "status", "proposed_at")
    list_filter = ("status",)
    list_select_related = ("patient", "consultant", "gp")
    search_fields = ("=patient__nhs_number", "=uuid")
    ordering = ("-id",)
    inlines = [MonitoringTestInline]
