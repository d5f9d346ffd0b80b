"""Triage in the Django admin: read-only. Every write goes through the services (a review, a
transition, a panel seat), which the admin does not bypass; referrals and advice requests hold
patient data, so reading them here is audited like any page (client "admin", docs/product.md
§1): the list one "list" event per row shown, a record opened one "view" event."""

from __future__ import annotations

from django.contrib import admin

from audit.models import AuditAction
from audit.services import audit_records_shown
from audit.web import admin_context
from triage.models import AdviceRequest, Referral, ReviewPanel, TreatmentFunction


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown, never added, changed or deleted here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuditedReadOnlyAdmin(ReadOnlyAdmin):
    """A read-only admin of records that name a patient (``patient_id`` and ``uuid``)."""

    audit_object_type = ""
    # The list's total would be a COUNT over every row (millions of referrals): not shown.
    show_full_result_count = False

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if changelist is not None:
            # The page's own rows: evaluated here, their cache then serves the template.
            self._audit(request, changelist.result_list, AuditAction.LIST)
        return response

    def get_object(self, request, object_id, from_field=None):
        # The one way the change (view) and history pages open a record.
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
