"""The Django admin's read-only pages, shared by every app: records are shown there, never added,
changed or deleted (every write goes through the services), and a record that names a patient
is audited when read, like any page (client "admin", docs/product.md §1): a list writes one
"list" event per row shown, an opened record one "view" event."""

from __future__ import annotations

from django.contrib import admin

from audit.models import AuditAction
from audit.services import audit_record
from audit.web import admin_context


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown, never added, changed or deleted here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    """A record's parts, shown with it and never edited here."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AuditedReadOnlyAdmin(ReadOnlyAdmin):
    """A read-only admin of records that name a patient: the record's ``uuid`` is the audited
    object, its patient found through ``patient_path`` (dotted, e.g. ``"booking.patient_id"``)."""

    audit_object_type = ""
    patient_path = "patient_id"
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

    def _patient_id(self, record) -> int | None:
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
