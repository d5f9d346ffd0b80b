"""The other apps' demo records, loaded by ``seed_demo`` after the referrals.

Each app adds a module to this package with one function
``(organisations: dict[str, Organisation], users: dict[str, User], seed: int) -> str`` that adds its
records when the demo holds none yet (so ``seed_demo`` stays safe to run again) and returns one
line saying what it loaded. List it in ``DEMO_SECTIONS``, in the order they must run.
"""

from __future__ import annotations

from collections.abc import Callable

DEMO_SECTIONS: list[Callable[..., str]] = []
