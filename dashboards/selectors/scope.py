"""Whose figures a dashboard request covers: the caller's ICB (every ICB for an
administrator), narrowed by the filters. Every dashboard read starts here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from dashboards.models import SnapshotDay
from dashboards.permissions import can_view_dashboards, icb_of_viewer
from directory.models import Organisation, User


@dataclass(frozen=True)
class Scope:
    """``icb_id`` None covers every ICB (administrators). ``provider`` is an ODS code and
    ``treatment_function`` a code; empty means all. A filter naming a provider outside the
    caller's ICB matches nothing, as the queue's filters do."""

    icb_id: int | None
    provider: str = ""
    treatment_function: str = ""

    def providers(self) -> QuerySet[Organisation]:
        """The organisations whose figures are covered (a subquery for other apps)."""
        organisations = Organisation.objects.all()
        if self.icb_id is not None:
            organisations = organisations.filter(icb_id=self.icb_id)
        if self.provider:
            organisations = organisations.filter(ods_code=self.provider)
        return organisations

    def q(self, *, provider_field: str = "provider", function_field: str | None = None) -> Q:
        """The scope as a filter on a snapshot table with ``icb``, a provider and, where it
        has one, a treatment function field."""
        q = Q()
        if self.icb_id is not None:
            q &= Q(icb_id=self.icb_id)
        if self.provider:
            q &= Q(**{f"{provider_field}__ods_code": self.provider})
        if function_field and self.treatment_function:
            q &= Q(**{function_field: self.treatment_function})
        return q

    @property
    def filtered(self) -> bool:
        return bool(self.provider or self.treatment_function)


def dashboard_scope_for(user: User, *, provider: str = "", treatment_function: str = "") -> Scope:
    """The scope of ``user``'s dashboards, or PermissionDenied (403) for anyone who may not
    open them."""
    if not can_view_dashboards(user):
        raise PermissionDenied("The dashboards are for ICB managers and administrators.")
    return Scope(
        icb_id=icb_of_viewer(user), provider=provider, treatment_function=treatment_function
    )


def latest_snapshot_day(*, on_or_before: date | None = None) -> date | None:
    """The latest day with a snapshot (on or before a day, where given)."""
    days = SnapshotDay.objects.order_by("-day")
    if on_or_before is not None:
        days = days.filter(day__lte=on_or_before)
    return days.values_list("day", flat=True).first()
