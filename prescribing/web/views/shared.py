"""What the prescribing pages share: access checks, audit, list limits."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from prescribing import permissions

# Lists show the most recent records; the filters (and the API's cursor pages) reach the rest.
LIST_LIMIT = 100


def require_prescriber(user) -> None:
    if not permissions.can_prescribe(user):
        raise PermissionDenied("Prescribing is for GPs, consultants and community clinicians.")
