"""The API's alert: exactly the fields docs/product.md §7 names. It names no patient."""

from __future__ import annotations

from rest_framework import serializers

from alerts.models import Alert


class AlertOutputSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True, help_text="The alert's id.")
    kind = serializers.CharField(
        read_only=True, help_text='What raised it, "<app>.<kind>", e.g. "contracts.overdue".'
    )
    subject = serializers.CharField(read_only=True, help_text="What needs you; never a patient.")
    created_at = serializers.DateTimeField(read_only=True, help_text="When it was raised.")
    read_at = serializers.DateTimeField(
        read_only=True,
        allow_null=True,
        help_text="When it was read (by anyone of the team, for a team alert); null if unread.",
    )
    link = serializers.CharField(
        read_only=True, help_text="The path of the record in the app, or empty."
    )

    class Meta:
        model = Alert
        fields = ("id", "kind", "subject", "created_at", "read_at", "link")
