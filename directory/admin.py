from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import ReadOnlyPasswordHashWidget, UserChangeForm
from django.core.exceptions import PermissionDenied

from audit.models import AuditAction
from audit.services import audit_records_shown
from audit.web import admin_context
from directory import admin_tokens  # noqa: F401 - registers the API token admin
from directory.models import Organisation, Patient, User
from directory.services import api_tokens_revoke_stale


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("ods_code", "name", "kind", "icb")
    list_filter = ("kind",)
    search_fields = ("ods_code", "name")
    # Not autocomplete: select2's box takes its accessible name from the chosen value, so an
    # empty one has none (axe: aria-input-field-name). A labelled input, looked up by name or
    # ODS code through the lookup link, instead.
    raw_id_fields = ("icb",)


class _PasswordHashWidget(ReadOnlyPasswordHashWidget):
    # Django's widget has no id for its label, so the admin renders the help text without the
    # id that the widget's aria-describedby points at (axe: aria-valid-attr-value).
    def id_for_label(self, id_):
        return id_


class _UserChangeForm(UserChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "password" in self.fields:
            self.fields["password"].widget = _PasswordHashWidget()


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
    form = _UserChangeForm
    # Presentational, for axe (WCAG 2.2 AA): a labelled input for the organisation (select2's
    # box has no accessible name when empty); plain multiple selects for groups and permissions
    # (the filter widget's tooltip icons carry a prohibited aria-label); the sign-in dates shown
    # read-only (their split date and time inputs have no labels, and they are set by signing
    # in, not by hand).
    raw_id_fields = ("organisation",)
    filter_horizontal = ()
    readonly_fields = ("last_login", "date_joined")
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

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and {"role", "organisation"} & set(form.changed_data):
            # A move to another organisation or role revokes the tokens issued for the old one.
            api_tokens_revoke_stale(user=obj)


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
    raw_id_fields = ("registered_practice",)  # labelled, where select2's empty box is not

    # docs/product.md §1: patient-identifiable data read through the admin is audited like any
    # other read (client "admin"): the list and its NHS-number search, one "list" event per
    # patient row shown, and each patient opened, one "view" event.

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if changelist is not None:
            # The page's own queryset: evaluated here, its cache then serves the template.
            _audit_patients(request, changelist.result_list, action=AuditAction.LIST)
        return response

    def get_object(self, request, object_id, from_field=None):
        # The one way the change, delete and history pages open a patient.
        patient = super().get_object(request, object_id, from_field)
        if patient is not None:
            _audit_patients(request, [patient], action=AuditAction.VIEW)
        return patient

    def get_search_results(self, request, queryset, search_term):
        match = request.resolver_match
        if match is not None and match.url_name == "autocomplete":
            # No admin form picks a patient from a list, and the autocomplete's answers (names
            # and NHS numbers) would be a read no page audits: refused, and audited as such.
            raise PermissionDenied("Patients are not offered for autocomplete.")
        return super().get_search_results(request, queryset, search_term)

    def has_delete_permission(self, request, obj=None):
        # The bulk delete's confirmation lists names and NHS numbers unaudited, and a patient's
        # audit events protect them from deletion anyway.
        return False


def _audit_patients(request, patients, *, action: str) -> None:
    audit_records_shown(
        actor=request.user,
        context=admin_context(request),
        records=[{"patient_id": p.pk, "uuid": p.uuid} for p in patients],
        action=action,
        object_type="patient",
    )
