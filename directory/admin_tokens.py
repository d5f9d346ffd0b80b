"""API tokens in the admin: listed by prefix and holder, revoked in bulk, never added here and
never shown, key or hash (keys come from ``manage.py drf_create_token``; docs/api.md)."""

from __future__ import annotations

from django.contrib import admin
from django.utils import timezone

from directory.models import ApiToken, TokenRevocation
from directory.services import api_tokens_revoke


class TokenStatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return (("live", "Live"), ("expired", "Expired"), ("revoked", "Revoked"))

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "live":
            return queryset.filter(revoked_at__isnull=True, expires_at__gt=now)
        if self.value() == "expired":
            return queryset.filter(revoked_at__isnull=True, expires_at__lte=now)
        if self.value() == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        return queryset


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = (
        "prefix",
        "user__username",
        "organisation",
        "role",
        "created_at",
        "expires_at",
        "status",
    )
    list_filter = (TokenStatusFilter, "role")
    list_select_related = ("user", "organisation")
    search_fields = ("prefix", "user__username")
    # key_hash is left out everywhere: a hash is no key, but nothing here needs it either.
    fields = (
        "prefix",
        "user",
        "organisation",
        "role",
        "created_at",
        "expires_at",
        "revoked_at",
        "revoked_reason",
    )
    readonly_fields = fields
    actions = ("revoke_tokens",)

    @admin.display(description="status")
    def status(self, token: ApiToken) -> str:
        if token.revoked_at is not None:
            return f"Revoked ({token.get_revoked_reason_display().lower()})"
        return "Expired" if token.expires_at <= timezone.now() else "Live"

    @admin.action(description="Revoke selected API tokens", permissions=["change"])
    def revoke_tokens(self, request, queryset):
        tokens = list(queryset.filter(revoked_at__isnull=True))
        revoked = api_tokens_revoke(tokens=tokens, reason=TokenRevocation.REVOKED)
        for token in tokens:
            self.log_change(request, token, "Revoked")
        self.message_user(request, f"Revoked {revoked} API token(s).")

    def has_add_permission(self, request):
        return False  # a key is shown once, at issue, and only by drf_create_token

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead: the record of who held a token stays
