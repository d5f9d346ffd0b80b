"""Apps register navigation entries from their AppConfig.ready()."""

from __future__ import annotations

from collections.abc import Callable

_contributors: list[Callable] = []


def register_navigation(contributor: Callable) -> Callable:
    if contributor not in _contributors:
        _contributors.append(contributor)
    return contributor


def contributed_items(request) -> list:
    items = []
    for contributor in _contributors:
        items.extend(contributor(request))
    return items
