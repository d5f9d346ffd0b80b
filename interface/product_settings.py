"""Interface's own settings, app by app: the *defaults* docs/product.md lets a local system change,
each read from the environment (docs/operations.md lists them). ``interface/settings.py`` imports
this module; an app reads these through ``django.conf.settings`` like any other setting.
"""

import os
from datetime import timedelta

from interface.env import env_bool, env_int

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

# Alerts (docs/alerts.md)
# Email goes through Django's email backend: SMTP once EMAIL_HOST is set, otherwise the console
# (each email printed on standard output), so nothing is ever sent from a development machine.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
# Seconds an SMTP connection may take: a dead mail server fails the sweep, never hangs it.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Interface <no-reply@localhost>")
# The address the app is reached at, for the links in emails (which have no request).
ALERTS_SITE_URL = os.environ.get("ALERTS_SITE_URL", "http://127.0.0.1:8000")
# Alerts (or digests) one email transaction claims.
ALERTS_EMAIL_BATCH = env_int("ALERTS_EMAIL_BATCH", 100)
# Each alert as it comes: how often the sweep runs.
SWEEP_ALERTS_EMAIL_MINUTES = env_int("SWEEP_ALERTS_EMAIL_MINUTES", 5)
# The daily digest goes out at this hour (Europe/London), at the digest sweep's first run from
# then on: the sweep runs every SWEEP_ALERTS_DIGEST_MINUTES and sends each user one a day, so a
# digest missed while the workers were down goes out at the next run.
ALERTS_DIGEST_HOUR = env_int("ALERTS_DIGEST_HOUR", 7)
SWEEP_ALERTS_DIGEST_MINUTES = env_int("SWEEP_ALERTS_DIGEST_MINUTES", 15)
SWEEPS_SCHEDULE["alerts.email_immediate"] = timedelta(minutes=SWEEP_ALERTS_EMAIL_MINUTES)
SWEEPS_SCHEDULE["alerts.email_digest"] = timedelta(minutes=SWEEP_ALERTS_DIGEST_MINUTES)

# Diagnostics
# docs/product.md §3 defaults: an unacknowledged result raises an alert to the responsible
# clinician this long after it was reported (abnormal: working days, England; others: days).
RESULT_ALERT_ABNORMAL_WORKING_DAYS = env_int("RESULT_ALERT_ABNORMAL_WORKING_DAYS", 2)
RESULT_ALERT_NORMAL_DAYS = env_int("RESULT_ALERT_NORMAL_DAYS", 7)
SWEEP_RESULT_ALERTS_MINUTES = env_int("SWEEP_RESULT_ALERTS_MINUTES", 15)
SWEEPS_SCHEDULE["diagnostics.result_alerts"] = timedelta(minutes=SWEEP_RESULT_ALERTS_MINUTES)

# Prescribing
# docs/product.md §4 defaults: a joint budget's committee is alerted, once per threshold, when
# spend (what has been dispensed) reaches these percentages of the budget.
PRESCRIBING_BUDGET_ALERT_PERCENTS = (
    env_int("PRESCRIBING_BUDGET_ALERT_FIRST_PERCENT", 80),
    env_int("PRESCRIBING_BUDGET_ALERT_SECOND_PERCENT", 100),
)
SWEEP_BUDGET_ALERTS_MINUTES = env_int("SWEEP_BUDGET_ALERTS_MINUTES", 15)
SWEEPS_SCHEDULE["prescribing.budget_alerts"] = timedelta(minutes=SWEEP_BUDGET_ALERTS_MINUTES)

# Contracts
# docs/product.md §5 defaults: each obligation's due time after the event that opens it
# (docs/contracts.md). A fit note due at a discharge or attendance is due there and then.
CONTRACTS_DISCHARGE_SUMMARY_HOURS = env_int("CONTRACTS_DISCHARGE_SUMMARY_HOURS", 24)
CONTRACTS_CLINIC_LETTER_DAYS = env_int("CONTRACTS_CLINIC_LETTER_DAYS", 7)
CONTRACTS_RESULT_TO_PATIENT_DAYS = env_int("CONTRACTS_RESULT_TO_PATIENT_DAYS", 14)
CONTRACTS_FIT_NOTE_HOURS = env_int("CONTRACTS_FIT_NOTE_HOURS", 0)
# The least medication a discharge supplies, in days; less opens discharge_medication at once.
CONTRACTS_DISCHARGE_MEDICATION_DAYS = env_int("CONTRACTS_DISCHARGE_MEDICATION_DAYS", 7)
# The overdue sweep: how often beat runs it, and how many obligations one transaction marks.
SWEEP_CONTRACTS_OVERDUE_MINUTES = env_int("SWEEP_CONTRACTS_OVERDUE_MINUTES", 15)
CONTRACTS_OVERDUE_BATCH = env_int("CONTRACTS_OVERDUE_BATCH", 5000)
# Weeks of the compliance trend shown by default.
CONTRACTS_COMPLIANCE_WEEKS = env_int("CONTRACTS_COMPLIANCE_WEEKS", 12)
SWEEPS_SCHEDULE["contracts.obligations_overdue"] = timedelta(
    minutes=SWEEP_CONTRACTS_OVERDUE_MINUTES
)

# Dashboards
# docs/product.md §6 defaults: demand and capacity are weekly averages over this many weeks.
DASHBOARD_DEMAND_WEEKS = env_int("DASHBOARD_DEMAND_WEEKS", 12)
# The target wait (weeks) of the target queue size (demand x target wait / 4): the RTT standard.
DASHBOARD_TARGET_WAIT_WEEKS = env_int("DASHBOARD_TARGET_WAIT_WEEKS", 18)
# Relief capacity brings the queue to its target by this many weeks ahead, unless a date is chosen.
DASHBOARD_RELIEF_WEEKS = env_int("DASHBOARD_RELIEF_WEEKS", 26)
# The forecast's horizon in weeks, unless asked for another (at most 104).
DASHBOARD_FORECAST_WEEKS = env_int("DASHBOARD_FORECAST_WEEKS", 26)
# A service is flagged as getting worse when its waits or breaches rose this many weeks running.
DASHBOARD_WORSE_WEEKS_RUNNING = env_int("DASHBOARD_WORSE_WEEKS_RUNNING", 3)
# The daily snapshot's sweep: how often beat tries; only the day's first run takes one.
SWEEP_DASHBOARD_SNAPSHOT_MINUTES = env_int("SWEEP_DASHBOARD_SNAPSHOT_MINUTES", 60)
SWEEPS_SCHEDULE["dashboards.daily_snapshot"] = timedelta(minutes=SWEEP_DASHBOARD_SNAPSHOT_MINUTES)
