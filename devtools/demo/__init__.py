"""Demo and benchmark referrals shaped on NHS England's RTT statistics (see docs/data.md).

- :mod:`~devtools.demo.shape`: each service's size and wait distribution, read from
  ``devtools/data/rtt_shape.csv``.
- :mod:`~devtools.demo.generate`: referral rows drawn on those shapes (pure Python, seeded,
  streamed: memory flat in ``n``), and :func:`write_ptl` to write them as a PTL extract.
- :mod:`~devtools.demo.bulk`: the rows into the database (COPY on PostgreSQL, ``bulk_create``
  on SQLite) with their history.
- :mod:`~devtools.demo.workflow`: advice requests and harm reviews on the seeded referrals, and
  the demo panels' seats accepted by the clinicians invited from outside the provider's ICB.

``seed_demo`` and the benchmark (``devtools.benchmark.run``) use the names below.
"""

from devtools.demo.bulk import DemoWriteResult, demo_referrals_write
from devtools.demo.generate import (
    DEMO_UBRN_START,
    NEW_PATIENT_SHARE,
    NHS_TEST_PREFIX,
    RECENT_PATIENTS,
    DemoPractice,
    demo_referrals_generate,
    nhs_test_numbers,
    write_ptl,
)
from devtools.demo.shape import SHAPE_PATH, ServiceShape, rtt_shapes, shape_for
from devtools.demo.workflow import (
    demo_advice_requests,
    demo_harm_reviews,
    demo_panel_seats_accept,
)

__all__ = [
    "DEMO_UBRN_START",
    "NEW_PATIENT_SHARE",
    "NHS_TEST_PREFIX",
    "RECENT_PATIENTS",
    "SHAPE_PATH",
    "DemoPractice",
    "DemoWriteResult",
    "ServiceShape",
    "demo_advice_requests",
    "demo_harm_reviews",
    "demo_panel_seats_accept",
    "demo_referrals_generate",
    "demo_referrals_write",
    "nhs_test_numbers",
    "rtt_shapes",
    "shape_for",
    "write_ptl",
]
