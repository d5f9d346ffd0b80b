"""Sections that one app contributes to another app's record page.

The patient page has its own registry (``directory.patient_sections``); this one serves the
other record pages, keyed by the page's name: the referral page (``"triage.referral"``) shows
the tests of its patient, which the diagnostics app contributes without triage knowing of it.

An app registers, from its ``AppConfig.ready()``, a function ``(user, record) ->
RecordSection | None``. It runs only after the page has decided the user may see the record,
and must itself show only what the user may see.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class RecordSection:
    title: str
    template: str
    context: dict


_providers: dict[str, list[Callable]] = {}


def register_record_section(page: str, provider: Callable) -> Callable:
    """Add ``provider`` to the record page named ``page`` (e.g. ``"triage.referral"``)."""
    providers = _providers.setdefault(page, [])
    if provider not in providers:
        providers.append(provider)
    return provider


def record_sections_for(page: str, user, record) -> list[RecordSection]:
    sections = []
    for provider in _providers.get(page, ()):
        section = provider(user, record)
        if section is not None:
            sections.append(section)
    return sections
