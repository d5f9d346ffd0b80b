"""Sections of the patient page that each app contributes (referrals, tests, prescriptions…).

An app registers a function ``(user, patient) -> PatientSection | None``; it runs only after the
directory has decided the user may see the patient, and must itself show only records the user
may see.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class PatientSection:
    title: str
    template: str
    context: dict


_providers: list[Callable] = []


def register_patient_section(provider: Callable) -> Callable:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def sections_for(user, patient) -> list[PatientSection]:
    sections = []
    for provider in _providers:
        section = provider(user, patient)
        if section is not None:
            sections.append(section)
    return sections
