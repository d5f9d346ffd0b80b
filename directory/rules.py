"""Pure directory rules: no database, no clock (callers pass ``now``)."""

from __future__ import annotations

import hashlib
from datetime import datetime

from directory.models import ApiToken, User


def api_token_hash(key: str) -> str:
    """How a key is kept: its SHA-256. Keys are 160 random bits, so a fast hash is enough."""
    return hashlib.sha256(key.encode()).hexdigest()


def api_token_refusal(token: ApiToken, user: User, *, now: datetime) -> str | None:
    """Why ``token`` no longer authenticates ``user``, or None while it does."""
    if token.revoked_at is not None:
        return "Token revoked: ask for a new one."
    if now >= token.expires_at:
        return "Token expired: ask for a new one."
    if api_token_is_stale(token, user):
        return "Token revoked: its holder's organisation or role has changed."
    if not user.is_active:
        return "User inactive or deleted."
    return None


def api_token_is_stale(token: ApiToken, user: User) -> bool:
    """docs/product.md §1: a user's one organisation and one role decide what they may see, so
    a token issued for another organisation or role carries none of that access."""
    return (token.organisation_id, token.role) != (user.organisation_id, user.role)
