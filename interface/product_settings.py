"""Interface's own settings, app by app: the *defaults* docs/product.md lets a local system change,
each read from the environment (docs/operations.md lists them). ``interface/settings.py`` imports
this module; an app reads these through ``django.conf.settings`` like any other setting.
"""

from datetime import timedelta

from interface.env import env_int

# Triage
# docs/product.md §2 defaults: the maximum wait of each clinical category, used as the target.
TRIAGE_CATEGORY_MAX_WAIT_DAYS = {
    "P1a": env_int("TRIAGE_P1A_DAYS", 1),
    "P1b": env_int("TRIAGE_P1B_DAYS", 3),
    "2WW": env_int("TRIAGE_2WW_DAYS", 14),
    "P2": env_int("TRIAGE_P2_DAYS", 28),
    "P3": env_int("TRIAGE_P3_DAYS", 91),
    "P4": env_int("TRIAGE_P4_DAYS", 126),
}
# A long wait's harm review is due again after this many days.
TRIAGE_HARM_REVIEW_INTERVAL_DAYS = env_int("TRIAGE_HARM_REVIEW_INTERVAL_DAYS", 91)
# The most referrals one bulk assignment may move to a panel; a larger one is refused whole.
TRIAGE_PANEL_ASSIGN_MAX = env_int("TRIAGE_PANEL_ASSIGN_MAX", 500)

# Sweeps (core/sweeps.py): each registered sweep and how often beat runs it. Each app adds its own.
SWEEP_QUEUE_RECOMPUTE_MINUTES = env_int("SWEEP_QUEUE_RECOMPUTE_MINUTES", 5)
SWEEPS_SCHEDULE = {
    "triage.queue_recompute_requests": timedelta(minutes=SWEEP_QUEUE_RECOMPUTE_MINUTES),
    "core.idempotency_expired": timedelta(hours=1),
}

# Alerts

# Diagnostics

# Prescribing

# Contracts

# Dashboards
