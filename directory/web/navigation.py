"""The directory's entry in the site navigation."""

from __future__ import annotations

from django.urls import reverse

from core.navigation import NavItem


def directory_navigation(request) -> list[NavItem]:
    if not request.user.is_clinician:
        return []
    return [NavItem("Find a patient", reverse("patient-search"))]
