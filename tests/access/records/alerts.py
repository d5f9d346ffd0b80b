"""The alerts app's records in the access matrix's scenario: an alert to the scenario's GP, and a
team alert to the trust (its staff's shared inbox), both about the scenario's patient.

The matrix then proves that a stranger (another ICB's user, or a colleague of the same role
elsewhere) gets 404 for either, that the trust's consultant shares the trust's alert while its
administrator does not, and that managers see none (docs/alerts.md)."""

from __future__ import annotations

from alerts.models import Alert
from alerts.services import AlertDraft, alerts_raise


def gp_alert_key(scenario) -> str:
    return f"access-matrix:{scenario.label}:gp"


def team_alert_key(scenario) -> str:
    return f"access-matrix:{scenario.label}:trust"


def extend(scenario) -> None:
    link = f"/triage/referrals/{scenario.referral.uuid}/"
    alerts_raise(
        [
            AlertDraft(
                kind="triage.advice_reply_due",
                key=gp_alert_key(scenario),
                subject="A consultant's question about a referral awaits your reply",
                link=link,
                recipient_id=scenario.users["gp"].pk,
                patient_id=scenario.patient.pk,
            ),
            AlertDraft(
                kind="contracts.obligation_overdue",
                key=team_alert_key(scenario),
                subject="A discharge summary is overdue",
                link=link,
                organisation_id=scenario.trust.pk,
                patient_id=scenario.patient.pk,
            ),
        ]
    )
    scenario.extra["alerts_gp"] = Alert.objects.get(key=gp_alert_key(scenario))
    scenario.extra["alerts_team"] = Alert.objects.get(key=team_alert_key(scenario))
    scenario.extra_identifiers |= {
        str(scenario.extra["alerts_gp"].uuid),
        str(scenario.extra["alerts_team"].uuid),
    }
