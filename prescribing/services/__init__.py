"""Prescribing writes. Pages, the API, the admin, commands and sweeps all call these; other
apps may too (``budget_alerts_raise``)."""
