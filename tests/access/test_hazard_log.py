"""The clinical safety hazard log names, for each control, the test that verifies it
(docs/clinical-safety/hazard-log.md, DCB0129). A control whose test is renamed or deleted loses
its evidence, so the suite fails until the log is brought up to date."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HAZARD_LOG = ROOT / "docs" / "clinical-safety" / "hazard-log.md"
REFERENCE = re.compile(r"`(tests/[\w/]+\.py)::(\w+)`")


def test_every_test_the_hazard_log_names_exists():
    references = REFERENCE.findall(HAZARD_LOG.read_text(encoding="utf-8"))
    assert references, "the hazard log names no test"
    missing = [
        f"{path}::{name}"
        for path, name in references
        if not (ROOT / path).is_file()
        or not re.search(rf"^(async )?def {name}\(", (ROOT / path).read_text(), re.MULTILINE)
    ]
    assert not missing, f"the hazard log names tests that do not exist: {missing}"
