"""Who may do what with the audit trail."""

from __future__ import annotations

# directory.models.Role.ADMIN: the audit app sits below the directory, so it names the role.
PRIVACY_OFFICER_ROLE = "admin"


def can_search_audit(user) -> bool:
    """The audit search is for privacy officers, who hold the ``admin`` role
    (docs/operations.md, "The audit trail"); everyone else is refused outright (403)."""
    return bool(
        user.is_authenticated
        and user.is_active
        and getattr(user, "role", None) == PRIVACY_OFFICER_ROLE
    )
