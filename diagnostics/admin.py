"""Diagnostics in the Django admin: read-only. Every write goes through the services (a booking,
a result, an acknowledgement), which the admin does not bypass; bookings and results hold
patient data, so reading them here is audited like any page (client "admin",
docs/product.md §1): the list one "list" event per row shown, a record opened one "view" event."""

from __future__ import annotations

from django.contrib import admin

from audit.models import AuditAction
from audit.services import audit_record
from audit.web import admin_context
from diagnostics.models import Booking, Result, Slot, TestType


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown, never added, changed or deleted here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuditedReadOnlyAdmin(ReadOnlyAdmin):
    """A read-only admin of records that name a patient (through ``patient_path``)."""

    audit_object_type = ""
    patient_path = "patient_id"
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

    def _patient_id(self, record) -> int:
        value = record
        for name in self.patient_path.split("."):
            value = getattr(value, name)
        return value

    def _audit(self, request, records, action: str) -> None:
        records = list(records)
        audit_record(
            actor=request.user,
            context=admin_context(request),
            action=action,
            object_type=self.audit_object_type,
            patient_ids=[self._patient_id(r) for r in records],
            object_ids=[str(r.uuid) for r in records],
        )


@admin.register(Booking)
class BookingAdmin(AuditedReadOnlyAdmin):
    audit_object_type = "diagnostic_booking"
    list_display = ("uuid", "patient", "test_type", "slot", "status", "requester", "requested_at")
    list_filter = ("status", "test_type")
    list_select_related = ("patient", "test_type", "slot", "requester")
    search_fields = ("=uuid", "=patient__nhs_number")
    ordering = ("-id",)


@admin.register(Result)
class ResultAdmin(AuditedReadOnlyAdmin):
    audit_object_type = "diagnostic_result"
    patient_path = "booking.patient_id"
    list_display = ("uuid", "booking", "abnormal", "reported_at", "responsible", "acknowledged_at")
    list_filter = ("abnormal",)
    list_select_related = ("booking", "responsible")
    search_fields = ("=uuid", "=booking__patient__nhs_number")
    ordering = ("-id",)


@admin.register(Slot)
class SlotAdmin(ReadOnlyAdmin):
    list_display = ("uuid", "hub", "test_type", "starts_at", "capacity", "booked")
    list_filter = ("test_type",)
    list_select_related = ("hub", "test_type")
    search_fields = ("=hub__ods_code",)
    ordering = ("-starts_at", "-id")


@admin.register(TestType)
class TestTypeAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "sample_minutes")
    search_fields = ("code", "name")
