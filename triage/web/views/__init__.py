"""Triage pages: the queue, referrals, worklists, advice and panels (docs/product.md §2).

Views only translate HTTP to selector and service calls: reads go through the selectors that
decide who sees what, writes through the services, and every patient-identifiable page writes
an audit event (docs/product.md §1).
"""

from triage.web.views.advice import advice_action, advice_detail, advice_list, advice_new
from triage.web.views.panels import (
    panel_accept,
    panel_assign,
    panel_decline,
    panel_detail,
    panel_new,
    panels,
)
from triage.web.views.queue import deferred, queue, worklist_detail, worklists
from triage.web.views.referrals import referral_action, referral_detail

__all__ = [
    "advice_action",
    "advice_detail",
    "advice_list",
    "advice_new",
    "deferred",
    "panel_accept",
    "panel_assign",
    "panel_decline",
    "panel_detail",
    "panel_new",
    "panels",
    "queue",
    "referral_action",
    "referral_detail",
    "worklist_detail",
    "worklists",
]
