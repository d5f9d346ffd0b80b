"""Who may open the dashboards (docs/product.md §6, §7): the ICB's managers, for their own
ICB's providers, and administrators, for every ICB. Everyone else is refused (403): the
dashboards are a page, not a record, as for the audit search and the manager's queue."""

from __future__ import annotations

from directory.models import Role, User


def can_view_dashboards(user: User) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.role == Role.MANAGER:
        return user.organisation_id is not None
    return user.role == Role.ADMIN


def icb_of_viewer(user: User) -> int | None:
    """The ICB whose figures ``user`` sees: a manager's own; None (every ICB) for an
    administrator. Call only for a user who :func:`can_view_dashboards`."""
    return user.organisation_id if user.role == Role.MANAGER else None


def can_drill_down_to_rows(user: User) -> bool:
    """The pseudonymised queue behind a figure is the managers' (triage's queue page);
    administrators see figures only."""
    return user.role == Role.MANAGER
