"""Prescribing's cards on the home page (``core.home``): a GP's shared care proposals awaiting
their decision; a committee member's or a manager's joint budgets and how many have passed the
first alert threshold. Small indexed counts only."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from audit.models import AuditAction
from audit.services import audit_records_shown
from audit.web import browser_context
from core.home import HomeCard, HomeLink, counted
from directory.models import Role
from prescribing import permissions, rules, selectors
from prescribing.services.budget_alerts import alert_thresholds

HOME_LINKS = 5


def prescribing_home(request) -> list[HomeCard]:
    user = request.user
    cards = []
    if user.role == Role.GP and permissions.can_prescribe(user):
        cards.append(_proposals_card(request))
    if permissions.can_use_budget_pages(user):
        card = _budgets_card(user)
        if card is not None:
            cards.append(card)
    return cards


def _proposals_card(request) -> HomeCard:
    proposals = selectors.agreements_awaiting_gp(request.user)
    count = proposals.count()
    first = list(proposals[:HOME_LINKS])
    audit_records_shown(
        actor=request.user,
        context=browser_context(request),
        records=first,
        action=AuditAction.LIST,
        object_type="shared_care_agreement",
    )
    return HomeCard(
        title="Shared care proposals",
        sentence=f"{counted(count, 'shared care proposal').capitalize()} "
        f"{'awaits' if count == 1 else 'await'} your decision.",
        url=reverse("prescribing:shared-care"),
        link_text="Answer shared care proposals",
        count=count,
        links=tuple(
            HomeLink(
                a.patient.full_name,
                reverse("prescribing:shared-care-detail", args=[a.uuid]),
                f"{a.medicine}, proposed by {a.consultant.display_name}",
            )
            for a in first
        ),
        testid="shared-care-proposals",
    )


def _budgets_card(user) -> HomeCard | None:
    budgets = list(
        selectors.budgets_with_totals(selectors.budgets_visible_to(user)).filter(
            financial_year=rules.financial_year_of(timezone.localdate())
        )
    )
    if not budgets and user.role not in (Role.MANAGER, Role.ADMIN):
        return None  # a clinician on no committee has no budget to watch
    first = alert_thresholds()[0]
    past = sum(
        1
        for b in budgets
        if rules.thresholds_reached(amount=b.amount, spent=b.spent, thresholds=[first])
    )
    return HomeCard(
        title="Joint prescribing budgets",
        sentence=f"{counted(len(budgets), 'joint budget').capitalize()} this financial year; "
        f"{past} {'has' if past == 1 else 'have'} passed {first}% of {'its' if past == 1 else 'their'} amount.",
        url=reverse("prescribing:budgets"),
        link_text="See the budgets",
        count=past,
        testid="prescribing-budgets",
    )
