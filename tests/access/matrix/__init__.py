"""The access matrix: every page and API operation, who may use it, and what everyone else gets.

docs/product.md §1 and §7: a record the user may not see is 404 (its existence does not leak);
a record they may see but an action they may not do is 403; managers see their ICB's rows
pseudonymised and no patient record; administrators see no patient. The rules come from
``triage/permissions.py`` and ``triage/selectors/``; where the code disagrees with the product
rules, the entry states the rule and the cell fails until the code is fixed.

``tests/access/test_access_matrix.py`` fails when a named URL has no entry here, so every new
endpoint (diagnostics, prescribing, contracts, dashboards…) must be added: triage's pages to
``browser.py`` and API operations to ``api.py``; each other app's to its own module here, with its
records made by ``tests/access/records/<app>.py``.
"""

from __future__ import annotations

from tests.access.matrix import alerts, contracts, dashboards, diagnostics, prescribing
from tests.access.matrix.api import API
from tests.access.matrix.browser import AUDIT, BROWSER
from tests.access.spec import Entry

# URL names deliberately outside the matrix, each because it serves no record:
EXCLUDED = {
    "login",  # signing in: tested in tests/browser/test_sign_in.py
    "logout",
    "nhsuk-assets",  # a redirect to nhsuk-frontend's static icons
    "api-schema",  # the OpenAPI document: fuzzed in tests/fuzz/
    "api-docs",  # Swagger UI around it
    "health-live",  # no authentication and no data by design (docs/product.md §7, Health):
    "health-ready",  # tested in tests/core
}
# URL namespaces outside the matrix: the Django admin has its own tests and its own rules
# (staff only; patient reads audited in the admin itself).
EXCLUDED_NAMESPACES = {"admin"}

ENTRIES: list[Entry] = [
    *BROWSER,
    *AUDIT,
    *API,
    *alerts.ENTRIES,
    *diagnostics.ENTRIES,
    *prescribing.ENTRIES,
    *contracts.ENTRIES,
    *dashboards.ENTRIES,
]
