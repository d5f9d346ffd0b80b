"""Alerts writes (docs/alerts.md). Other apps raise alerts with ``AlertDraft`` and
``alerts_raise``; the inbox marks them read; users choose how they are emailed; the sweeps
email them."""

from alerts.services.email import (
    alert_digests_claim,
    alerts_claim_for_email,
    alerts_email_digest_sweep,
    alerts_email_immediate_sweep,
)
from alerts.services.preferences import alert_preference_set
from alerts.services.raising import AlertDraft, alerts_raise
from alerts.services.reading import alert_mark_read, alerts_mark_all_read

__all__ = [
    "AlertDraft",
    "alert_digests_claim",
    "alert_mark_read",
    "alert_preference_set",
    "alerts_claim_for_email",
    "alerts_email_digest_sweep",
    "alerts_email_immediate_sweep",
    "alerts_mark_all_read",
    "alerts_raise",
]
