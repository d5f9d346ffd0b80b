"""The dashboards' card on the home page of ICB managers and administrators: the headline
figures, with the change since last week, from the backlog summary and the snapshots."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from core.home import HomeCard, HomeLink
from dashboards import selectors
from dashboards.permissions import can_view_dashboards
from dashboards.web.tables import change_text


def dashboards_home(request) -> list[HomeCard]:
    user = request.user
    if not can_view_dashboards(user):
        return []
    scope = selectors.dashboard_scope_for(user)
    backlog = selectors.dashboard_backlog(scope)
    headlines = selectors.dashboard_headlines(scope, backlog, today=timezone.localdate())
    where = "your ICB's providers" if user.is_manager else "every ICB"
    return [
        HomeCard(
            title="Backlog dashboard",
            sentence=f"{backlog.open:,} open referrals at {where}; trends, queue measures "
            "and the forecast are on the dashboard.",
            url=reverse("dashboards:overview"),
            link_text="Open the backlog dashboard",
            count=backlog.open,
            links=tuple(
                HomeLink(
                    f"{h.label}: {h.value:,}",
                    None,
                    f"{change_text(h.change_last_week)} since last week",
                )
                for h in headlines
            ),
            testid="dashboard",
        )
    ]
