"""Contracts' cards on the home page (``core.home``): obligations overdue now, for the provider
whose duty they are, the practice whose patients they concern, and the ICB's managers."""

from __future__ import annotations

from django.urls import reverse
from django.utils.http import urlencode

from contracts import permissions, selectors
from core.home import HomeCard, HomeLink, counted
from directory.models import Role


def _overdue_url() -> str:
    return f"{reverse('contracts:obligations')}?{urlencode({'status': 'overdue'})}"


def contracts_home(request) -> list[HomeCard]:
    user = request.user
    if permissions.is_provider_clinician(user):
        overdue = selectors.overdue_count_for(user)
        soon = selectors.due_soon_count_for(user)
        return [
            HomeCard(
                title="Contract obligations overdue",
                sentence=f"{counted(overdue, 'obligation').capitalize()} of your organisation "
                f"{'is' if overdue == 1 else 'are'} past due; {soon:,} more "
                f"{'falls' if soon == 1 else 'fall'} due in the next 24 hours.",
                url=_overdue_url(),
                link_text="Record what was sent",
                count=overdue,
                links=(
                    HomeLink("Record a discharge", reverse("contracts:discharge-new")),
                    HomeLink(
                        "Record an outpatient attendance", reverse("contracts:attendance-new")
                    ),
                ),
                testid="contracts-overdue",
            )
        ]
    if permissions.is_practice_gp(user):
        overdue = selectors.overdue_count_for(user)
        return [
            HomeCard(
                title="Overdue from providers",
                sentence=f"{counted(overdue, 'obligation').capitalize()} that providers owe "
                f"your patients {'is' if overdue == 1 else 'are'} overdue: discharge "
                "summaries, clinic letters, results, medication and fit notes.",
                url=_overdue_url(),
                link_text="See what is overdue",
                count=overdue,
                links=(
                    HomeLink(
                        "Report a breach of the contract", reverse("contracts:breach-report-new")
                    ),
                ),
                testid="contracts-gp-overdue",
            )
        ]
    if user.role == Role.MANAGER and permissions.can_see_compliance(user):
        overdue = selectors.overdue_count_for(user)
        return [
            HomeCard(
                title="Contract compliance",
                sentence=f"{counted(overdue, 'obligation').capitalize()} "
                f"{'is' if overdue == 1 else 'are'} overdue at your ICB's providers.",
                url=reverse("contracts:compliance"),
                link_text="See compliance by provider and duty",
                count=overdue,
                testid="contracts-compliance",
            )
        ]
    return []
