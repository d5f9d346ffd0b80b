"""What the prescribing API views share beyond ``core.api`` and ``directory.api.shared``: the
pagination and the shape of a 409."""

from __future__ import annotations

from rest_framework import serializers

from core.api import CursorPagination


class NewestFirst(CursorPagination):
    ordering = ("-id",)


class PrescribingConflictOutputSerializer(serializers.Serializer):
    """A 409: why, and the record's current state."""

    detail = serializers.CharField()
    current = serializers.DictField()
