"""Alerts in the Django admin: read-only. Every write goes through the services (raising,
marking read, preferences), which the admin does not bypass. The admin never shows which
patient an alert is about (administrators see no patient identifier, docs/product.md §1); an
alert about a patient opened or listed here is audited all the same, as any page of the
admin's would be (client "admin": one "list" event per such row shown, "view" for a record)."""

from __future__ import annotations

from django.contrib import admin

from alerts.models import Alert, AlertPreference
from audit.admin_base import ReadOnlyAdmin
from audit.models import AuditAction
from audit.services import audit_records_shown
from audit.web import admin_context


@admin.register(Alert)
class AlertAdmin(ReadOnlyAdmin):
    list_display = (
        "subject",
        "kind",
        "recipient",
        "organisation",
        "created_at",
        "read_at",
        "email_outcome",
    )
    list_filter = ("kind", "email_outcome")
    list_select_related = ("recipient", "organisation")
    search_fields = ("=uuid", "=key", "=recipient__username", "=organisation__ods_code")
    ordering = ("-id",)
    # Never the patient: its name and NHS number are what an administrator may not see.
    exclude = ("patient",)
    show_full_result_count = False

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if changelist is not None:
            self._audit(request, changelist.result_list, AuditAction.LIST)
        return response

    def get_object(self, request, object_id, from_field=None):
        alert = super().get_object(request, object_id, from_field)
        if alert is not None:
            self._audit(request, [alert], AuditAction.VIEW)
        return alert

    def _audit(self, request, alerts, action: str) -> None:
        audit_records_shown(
            actor=request.user,
            context=admin_context(request),
            records=[a for a in alerts if a.patient_id is not None],
            action=action,
            object_type="alert",
        )


@admin.register(AlertPreference)
class AlertPreferenceAdmin(ReadOnlyAdmin):
    list_display = ("user", "email_mode", "digest_through", "updated_at")
    list_filter = ("email_mode",)
    list_select_related = ("user",)
    search_fields = ("=user__username",)
