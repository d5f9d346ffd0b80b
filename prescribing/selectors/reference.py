"""The monitoring tests a shared care protocol may name: the diagnostics app's test types
(SNOMED CT), read through its selectors, so a protocol names only tests a hub can book."""

from __future__ import annotations

from diagnostics.selectors import test_types


def monitoring_test_types() -> dict[str, str]:
    """``{SNOMED CT code: name}`` of every test type a protocol may name."""
    return {t.code: t.name for t in test_types()}
