"""Diagnostics in the Django admin: read-only. Every write goes through the services (a booking,
a result, an acknowledgement), which the admin does not bypass; bookings and results hold
patient data, so reading them here is audited like any page (client "admin",
docs/product.md §1): the list one "list" event per row shown, a record opened one "view" event."""

from __future__ import annotations

from django.contrib import admin

from audit.admin_base import AuditedReadOnlyAdmin, ReadOnlyAdmin
from diagnostics.models import Booking, Result, Slot, TestType


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
