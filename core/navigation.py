"""The site's navigation. Each app registers its entries from its ``AppConfig.ready()``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    count: int | None = None
    active: bool = False


_contributors: list[Callable] = []


def register_navigation(contributor: Callable) -> Callable:
    """Add a function ``(request) -> list[NavItem]`` whose entries follow "Home"."""
    if contributor not in _contributors:
        _contributors.append(contributor)
    return contributor


def navigation_for(request) -> list[NavItem]:
    items = [NavItem("Home", reverse("home"))]
    for contributor in _contributors:
        items.extend(contributor(request))
    path = request.path
    # One current entry: the longest URL the path starts with ("/diagnostics/results/" rather
    # than "/diagnostics/" too), so two entries never both claim the page.
    matching = [i.url for i in items if path == i.url or (i.url != "/" and path.startswith(i.url))]
    current = max(matching, key=len, default=None)
    return [NavItem(i.label, i.url, i.count, active=i.url == current) for i in items]
