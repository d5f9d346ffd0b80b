from django.contrib import admin

from audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: audit events cannot be edited or deleted through the app."""

    list_display = ("at", "user", "action", "object_type", "patient", "client", "ip_address")
    list_filter = ("action", "client", "object_type")
    search_fields = ("user__username", "patient__nhs_number", "object_id")
    date_hierarchy = "at"
    list_select_related = ("user", "patient")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
