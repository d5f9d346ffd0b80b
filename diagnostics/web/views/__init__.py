"""Diagnostics pages (docs/product.md §3, docs/diagnostics.md): booking a test, a hub's
capacity and day, bookings and their actions, results and the results worklist.

Views only translate HTTP to selector and service calls: reads go through the selectors that
decide who sees what, writes through the services, and every page that shows a patient writes
an audit event (docs/product.md §1).
"""

from diagnostics.web.views.book import book
from diagnostics.web.views.bookings import booking_action, booking_detail
from diagnostics.web.views.capacity import capacity
from diagnostics.web.views.home import home
from diagnostics.web.views.results import result_action, result_detail, results

__all__ = [
    "book",
    "booking_action",
    "booking_detail",
    "capacity",
    "home",
    "result_action",
    "result_detail",
    "results",
]
