"""The site's navigation. Apps add their areas here, with a count where one helps."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    count: int | None = None
    active: bool = False


def navigation_for(request) -> list[NavItem]:
    user = request.user
    items = [NavItem("Home", reverse("home"))]
    if user.is_clinician:
        items.append(NavItem("Find a patient", reverse("patient-search")))
    # Later issues fill these areas; each app contributes its own entries.
    from interface.navigation_registry import contributed_items

    items.extend(contributed_items(request))
    path = request.path
    return [
        NavItem(
            i.label,
            i.url,
            i.count,
            active=(path == i.url or (i.url != "/" and path.startswith(i.url))),
        )
        for i in items
    ]
