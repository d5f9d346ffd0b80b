"""Compliance by provider and duty, and its trend by week (docs/product.md §5, §6): counts
from the obligations and breach reports, never a stored figure, so they always equal a recount.

``compliance_rows`` and ``compliance_by_week`` are public: the dashboards read them.
"""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncWeek
from django.utils import timezone

from contracts import permissions, rules
from contracts.models import BREACH_DUTIES, OBLIGATION_DUTIES, BreachReport, Obligation
from contracts.models import ObligationStatus as S
from directory.models import Organisation, Role, User

DUTY_ORDER = {duty: index for index, duty in enumerate((*OBLIGATION_DUTIES, *BREACH_DUTIES))}
COLUMNS = (
    "provider",
    "provider_name",
    "duty",
    "due",
    "met",
    "met_late",
    "overdue",
    "open",
    "on_time_rate",
    "breach_reports",
)


def _scoped(queryset: QuerySet, *, icb_id, provider_ids, duty) -> QuerySet:
    if icb_id is not None:
        queryset = queryset.filter(
            provider_id__in=Organisation.objects.filter(icb_id=icb_id).values("id")
        )
    if provider_ids is not None:
        queryset = queryset.filter(provider_id__in=list(provider_ids))
    if duty:
        queryset = queryset.filter(duty=duty)
    return queryset.order_by()


def _counts(now: datetime) -> dict:
    unmet = Q(fulfilled_at__isnull=True)
    return {
        "met": Count("id", filter=Q(status=S.MET)),
        "met_late": Count("id", filter=Q(status=S.MET_LATE)),
        "overdue": Count("id", filter=unmet & Q(due_at__lt=now)),
        "open": Count("id", filter=unmet & Q(due_at__gte=now)),
    }


def _row(provider: Organisation, duty: str, counts: dict, reports: int) -> dict:
    met, met_late, overdue = (
        counts.get("met", 0),
        counts.get("met_late", 0),
        counts.get("overdue", 0),
    )
    return {
        "provider": provider.ods_code,
        "provider_name": provider.name,
        "duty": duty,
        "due": met + met_late + overdue,
        "met": met,
        "met_late": met_late,
        "overdue": overdue,
        "open": counts.get("open", 0),
        "on_time_rate": rules.on_time_rate(met=met, met_late=met_late, overdue=overdue),
        "breach_reports": reports,
    }


def compliance_rows(
    *,
    icb_id: int | None = None,
    provider_ids=None,
    duty: str | None = None,
    now: datetime | None = None,
) -> list[dict]:
    """One row per provider and duty with any obligation or breach report: ``provider``
    (ODS), ``provider_name``, ``duty``, ``due`` (fallen due: met + met_late + overdue),
    ``met``, ``met_late``, ``overdue`` (past due and unfulfilled now), ``open`` (not yet due),
    ``on_time_rate`` (met / due, 0 to 1, or None when nothing has fallen due) and
    ``breach_reports``. Scoped to an ICB's providers, to some providers, or to one duty."""
    now = now or timezone.now()
    scope = {"icb_id": icb_id, "provider_ids": provider_ids, "duty": duty}
    obligations = {
        (r["provider_id"], r["duty"]): r
        for r in _scoped(Obligation.objects, **scope)
        .values("provider_id", "duty")
        .annotate(**_counts(now))
    }
    reports = {
        (r["provider_id"], r["duty"]): r["n"]
        for r in _scoped(BreachReport.objects, **scope)
        .values("provider_id", "duty")
        .annotate(n=Count("id"))
    }
    keys = set(obligations) | set(reports)
    providers = Organisation.objects.in_bulk({provider_id for provider_id, _ in keys})
    rows = [
        _row(providers[p], d, obligations.get((p, d), {}), reports.get((p, d), 0)) for p, d in keys
    ]
    rows.sort(key=lambda r: (r["provider_name"], r["provider"], DUTY_ORDER[r["duty"]]))
    return rows


def week_start(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


def compliance_by_week(
    *,
    icb_id: int | None = None,
    provider_ids=None,
    duty: str | None = None,
    weeks: int | None = None,
    now: datetime | None = None,
) -> list[dict]:
    """The trend: for each week (``week_start``, a Monday, English local time) of the last
    ``weeks`` (``CONTRACTS_COMPLIANCE_WEEKS`` by default), provider and duty, the obligations
    that fell due that week, what became of them (as of now) and the breaches reported that
    happened that week. Weeks with nothing are left out. The columns of ``compliance_rows``
    after ``week_start``."""
    now = now or timezone.now()
    weeks = weeks or settings.CONTRACTS_COMPLIANCE_WEEKS
    london = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    first = week_start(timezone.localdate(now)) - timedelta(weeks=weeks - 1)
    since = timezone.make_aware(datetime.combine(first, datetime.min.time()), london)
    scope = {"icb_id": icb_id, "provider_ids": provider_ids, "duty": duty}
    obligations = {
        (r["week"], r["provider_id"], r["duty"]): r
        for r in _scoped(Obligation.objects, **scope)
        .filter(due_at__gte=since, due_at__lt=now)
        .annotate(week=TruncWeek("due_at", tzinfo=london))
        .values("week", "provider_id", "duty")
        .annotate(**_counts(now))
    }
    reports = {
        (r["week"], r["provider_id"], r["duty"]): r["n"]
        for r in _scoped(BreachReport.objects, **scope)
        .filter(occurred_on__gte=first, occurred_on__lte=timezone.localdate(now))
        .annotate(week=TruncWeek("occurred_on"))
        .values("week", "provider_id", "duty")
        .annotate(n=Count("id"))
    }

    def monday(value) -> date:
        return value.date() if isinstance(value, datetime) else value

    merged: dict[tuple, tuple[dict, int]] = {}
    for (week, provider_id, d), counts in obligations.items():
        merged[(monday(week), provider_id, d)] = (counts, 0)
    for (week, provider_id, d), n in reports.items():
        key = (monday(week), provider_id, d)
        merged[key] = (merged.get(key, ({}, 0))[0], n)
    providers = Organisation.objects.in_bulk({p for _, p, _ in merged})
    rows = [
        {"week_start": week, **_row(providers[p], d, counts, n)}
        for (week, p, d), (counts, n) in merged.items()
    ]
    rows.sort(
        key=lambda r: (r["week_start"], r["provider_name"], r["provider"], DUTY_ORDER[r["duty"]])
    )
    return rows


def compliance_scope_for(user: User) -> dict:
    """The providers whose figures ``user`` may see, as ``compliance_rows`` arguments:
    a manager their ICB's, a provider clinician their own organisation's, a GP their ICB's,
    an administrator every provider's. 403 for anyone else."""
    if not permissions.can_see_compliance(user):
        raise PermissionDenied("Contract compliance is for ICB managers, clinicians and admins.")
    if user.role == Role.ADMIN:
        return {}
    if user.role == Role.MANAGER:
        return {"icb_id": user.organisation_id}
    if permissions.is_provider_clinician(user):
        return {"provider_ids": [user.organisation_id]}
    return {"icb_id": user.organisation.icb_id}


def provider_ids_for_ods(ods_code: str) -> list[int]:
    """The provider an ODS code filter names (none if unknown: the filter then matches nothing)."""
    return list(
        Organisation.objects.filter(ods_code=ods_code.strip().upper()).values_list("id", flat=True)
    )


def narrowed(scope: dict, *, provider_ods: str = "") -> dict:
    """``scope`` narrowed to one provider by ODS code, never widened: a code outside the
    scope leaves nothing."""
    if not provider_ods:
        return scope
    wanted = provider_ids_for_ods(provider_ods)
    allowed = scope.get("provider_ids")
    ids = [i for i in wanted if allowed is None or i in allowed]
    return {**scope, "provider_ids": ids}
