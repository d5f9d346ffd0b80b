from django.contrib import admin

from audit.context import admin_context
from audit.models import AuditAction, AuditEvent
from audit.services import audit_record


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: audit events cannot be edited or deleted through the app. Reading them names
    patients, so the admin's reads of them are audited too (docs/product.md §1), as the audit
    search's are (one event per patient shown, object type "audit_event")."""

    list_display = ("at", "user", "action", "object_type", "patient", "client", "ip_address")
    list_filter = ("action", "client", "object_type")
    search_fields = ("user__username", "patient__nhs_number", "object_id")
    date_hierarchy = "at"
    list_select_related = ("user", "patient")
    readonly_fields = ("prev_hash", "hash")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if changelist is not None:
            _audit_patients_shown(request, changelist.result_list, action=AuditAction.LIST)
        return response

    def get_object(self, request, object_id, from_field=None):
        event = super().get_object(request, object_id, from_field)
        if event is not None:
            _audit_patients_shown(request, [event], action=AuditAction.VIEW)
        return event


def _audit_patients_shown(request, events, *, action: str) -> None:
    patient_ids = list(dict.fromkeys(e.patient_id for e in events if e.patient_id is not None))
    audit_record(
        actor=request.user,
        context=admin_context(request),
        action=action,
        object_type="audit_event",
        patient_ids=patient_ids,
    )
