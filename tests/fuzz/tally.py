"""How many cases the API fuzzing ran, by (role, operation), for the summary line."""

from collections import Counter

import pytest

CASES = pytest.StashKey[Counter]()
