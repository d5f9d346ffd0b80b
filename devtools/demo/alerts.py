"""Demo alerts (docs/alerts.md): every demo user finds something in their inbox, and the header
counts it. Raised through ``alerts.services`` as any app raises them, each linking to a real demo
record: the GP's questions from consultants, Barts' long waits as a team alert to the trust, a
panel for the community clinician; one of the GP's already read. Loaded only when no demo alert
exists yet, so ``seed_demo`` stays safe to run again. ``run_sweeps`` then emails them (printed
on the console unless EMAIL_HOST is set).
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from alerts.models import Alert
from alerts.services import AlertDraft, alert_mark_read, alerts_raise
from audit.services import COMMAND_CONTEXT
from directory.models import Organisation, User
from triage.models import (
    QUEUE_Q,
    AdviceDirection,
    AdviceRequest,
    AdviceStatus,
    Referral,
    ReviewPanel,
)

PREFIX = "demo."


def _practice_drafts(gp: User) -> list[AlertDraft]:
    """A review of one of the practice's referrals (always there), and the questions from
    consultants awaiting the GP's reply (when the demo holds some)."""
    referral = (
        Referral.objects.filter(referring_practice_id=gp.organisation_id).order_by("id").first()
    )
    reviewed = (
        [
            AlertDraft(
                kind="triage.referral_reviewed",
                key=f"{PREFIX}triage.referral_reviewed:{referral.uuid}",
                subject="A referral from your practice has been reviewed",
                link=f"/triage/referrals/{referral.uuid}/",
                recipient_id=gp.pk,
                patient_id=referral.patient_id,
            )
        ]
        if referral is not None
        else []
    )
    return reviewed + _advice_drafts(gp)


def _advice_drafts(gp: User) -> list[AlertDraft]:
    questions = AdviceRequest.objects.filter(
        direction=AdviceDirection.TO_GP,
        status=AdviceStatus.AWAITING_REPLY,
        practice_id=gp.organisation_id,
    ).order_by("asked_at", "id")[:3]
    return [
        AlertDraft(
            kind="triage.advice_awaiting_reply",
            key=f"{PREFIX}triage.advice_awaiting_reply:{advice.uuid}",
            subject="A consultant's question about a referral awaits your reply",
            link=f"/triage/advice/{advice.uuid}/",
            recipient_id=gp.pk,
            patient_id=advice.patient_id,
        )
        for advice in questions
    ]


def _long_wait_drafts(trust: Organisation) -> list[AlertDraft]:
    """The trust's two longest waits in its queue, as team alerts to its staff."""
    year_ago = timezone.localdate() - timedelta(days=364)
    longest = Referral.objects.filter(QUEUE_Q, provider=trust).order_by("clock_start", "id")[:2]
    return [
        AlertDraft(
            kind="triage.harm_review_due",
            key=f"{PREFIX}triage.harm_review_due:{referral.uuid}",
            subject=(
                "A referral has waited over 52 weeks: a harm review is due"
                if referral.clock_start <= year_ago
                else "One of your longest-waiting referrals needs a look"
            ),
            link=f"/triage/referrals/{referral.uuid}/",
            organisation_id=trust.pk,
            patient_id=referral.patient_id,
        )
        for referral in longest
    ]


def demo_alerts(
    *, organisations: dict[str, Organisation], users: dict[str, User], seed: int
) -> str:
    if Alert.objects.filter(key__startswith=PREFIX).exists():
        return "Demo alerts already loaded; left as they are."
    gp = users["gp"]
    panel = ReviewPanel.objects.filter(memberships__user=users["community"]).order_by("id").first()
    drafts = [
        *_practice_drafts(gp),
        *_long_wait_drafts(organisations["R1H"]),
        AlertDraft(
            kind="triage.panel_assigned",
            key=f"{PREFIX}triage.panel_assigned:{users['community'].username}",
            subject="Referrals were assigned to a panel you sit on",
            link=f"/triage/panels/{panel.uuid}/" if panel else "/triage/panels/",
            recipient_id=users["community"].pk,
        ),
        AlertDraft(
            kind="diagnostics.clinic_list",
            key=f"{PREFIX}diagnostics.clinic_list:DMILE1",
            subject="Today's patients at the hub: results still to record",
            link="/",
            organisation_id=organisations["DMILE1"].pk,
        ),
        AlertDraft(
            kind="dashboards.snapshot_ready",
            key=f"{PREFIX}dashboards.snapshot_ready:{users['manager'].username}",
            subject="This week's backlog figures for your ICB are ready",
            link="/triage/queue/",
            recipient_id=users["manager"].pk,
        ),
        AlertDraft(
            kind="directory.tokens_expiring",
            key=f"{PREFIX}directory.tokens_expiring:{users['admin'].username}",
            subject="Review the API tokens due to expire this week",
            link="/admin/directory/apitoken/",
            recipient_id=users["admin"].pk,
        ),
    ]
    with transaction.atomic():
        raised = alerts_raise(drafts)
        first = Alert.objects.filter(recipient=gp, key__startswith=PREFIX).order_by("id").first()
        if first is not None:
            alert_mark_read(alert=first, actor=gp, context=COMMAND_CONTEXT)
    return f"{raised} demo alerts raised (one of the GP's already read)."
