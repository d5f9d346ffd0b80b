"""Prescribing in the Django admin: read-only. Every write goes through the services
(prescribing under a shared care agreement is refused there until the GP accepts), which the
admin does not bypass: it can add, change or delete nothing. Prescriptions and agreements hold
patient data, so reading them here is audited like any page (client "admin", docs/product.md
§1): a list one "list" event per row shown, a record opened one "view" event."""

from __future__ import annotations

from django.contrib import admin

from audit.admin_base import AuditedReadOnlyAdmin, ReadOnlyAdmin, ReadOnlyInline
from prescribing.models import (
    Budget,
    MonitoringTest,
    Prescription,
    PrescriptionItem,
    SharedCareAgreement,
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
