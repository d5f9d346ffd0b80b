from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from interface.models import AuditAction, AuditEvent, Organisation, Patient, User
from interface.services import AuditContext, audit_record


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("ods_code", "name", "kind", "icb")
    list_filter = ("kind",)
    search_fields = ("ods_code", "name")
    autocomplete_fields = ("icb",)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = (
        "username",
        "first_name",
        "last_name",
        "role",
        "organisation",
        "is_returning_clinician",
    )
    list_filter = ("role", "is_returning_clinician", "is_active")
    autocomplete_fields = ("organisation",)
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (
            "Interface",
            {"fields": ("role", "organisation", "is_returning_clinician", "specialties")},
        ),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        ("Interface", {"fields": ("role", "organisation", "is_returning_clinician")}),
    )


@admin.register(Patient)
class PatientAdmin(admin.ModelAdmin):
    list_display = (
        "nhs_number",
        "family_name",
        "given_name",
        "date_of_birth",
        "registered_practice",
    )
    search_fields = ("nhs_number", "family_name")
    autocomplete_fields = ("registered_practice",)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Patient-identifiable data opened through the admin is audited like any other read.
        patient = self.get_object(request, object_id)
        if patient is not None:
            audit_record(
                actor=request.user,
                context=AuditContext.from_request(request),
                action=AuditAction.VIEW,
                object_type="patient",
                patient_ids=[patient.pk],
                object_ids=[str(patient.uuid)],
            )
        return super().change_view(request, object_id, form_url, extra_context)


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
