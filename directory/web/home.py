"""The directory's cards on the home page (``core.home``): the administrator's users,
organisations and admin site. (A diagnostics hub's staff get theirs from the diagnostics app.)"""

from __future__ import annotations

from django.urls import reverse

from core.home import HomeCard, counted
from directory.models import Organisation, Role, User


def directory_home(request) -> list[HomeCard]:
    user = request.user
    if user.role == Role.ADMIN:
        return _admin_cards(user)
    return []


def _admin_cards(user) -> list[HomeCard]:
    users = User.objects.filter(is_active=True).count()
    organisations = Organisation.objects.count()
    # The admin site is for staff accounts only; another administrator is told why it is not
    # linked rather than sent to a sign-in page that will refuse them.
    admin_site = user.is_staff
    return [
        HomeCard(
            title="Users",
            sentence=f"{counted(users, 'active user').capitalize()}.",
            url=reverse("admin:directory_user_changelist") if admin_site else None,
            link_text="Manage users",
            count=users,
            testid="admin-users",
        ),
        HomeCard(
            title="Organisations",
            sentence=f"{counted(organisations, 'organisation').capitalize()}: ICBs, trusts, "
            "community providers, practices and diagnostic hubs.",
            url=reverse("admin:directory_organisation_changelist") if admin_site else None,
            link_text="Manage organisations",
            count=organisations,
            testid="admin-organisations",
        ),
        HomeCard(
            title="Administration",
            sentence="Users, organisations, API tokens and the triage records, read-only where "
            "they hold patient data."
            if admin_site
            else "Your account has no access to the admin site: ask a system administrator.",
            url=reverse("admin:index") if admin_site else None,
            link_text="Open the admin site",
            testid="admin-site",
        ),
    ]
