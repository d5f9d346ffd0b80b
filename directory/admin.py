from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from audit.models import AuditAction
from audit.services import audit_records_shown
from audit.web import admin_context
from directory.models import Organisation, Patient, User


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
            audit_records_shown(
                actor=request.user,
                context=admin_context(request),
                records=[{"patient_id": patient.pk, "uuid": patient.uuid}],
                action=AuditAction.VIEW,
                object_type="patient",
            )
        return super().change_view(request, object_id, form_url, extra_context)
