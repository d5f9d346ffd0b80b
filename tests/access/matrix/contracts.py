"""The contracts app's pages and API operations in the access matrix."""

from __future__ import annotations

from tests.access.spec import Entry

ENTRIES: list[Entry] = []
