"""API token authentication: ``Authorization: Token <key>`` against the hashed, expiring
tokens of ``directory.models.ApiToken`` (docs/api.md, Authentication)."""

from __future__ import annotations

from django.utils import timezone
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from directory.models import TokenRevocation
from directory.rules import api_token_is_stale, api_token_refusal
from directory.selectors import api_token_for_key
from directory.services import api_tokens_revoke


class ApiTokenAuthentication(TokenAuthentication):
    """DRF's header parsing and ``WWW-Authenticate: Token`` challenge, with our token model.

    Listed first in ``DEFAULT_AUTHENTICATION_CLASSES``, so an unauthenticated request is
    answered 401 with this challenge rather than the 403 of session authentication.
    """

    keyword = "Token"

    def authenticate_credentials(self, key):
        token = api_token_for_key(key=key)
        if token is None:
            raise AuthenticationFailed("Invalid token.")
        refusal = api_token_refusal(token, token.user, now=timezone.now())
        if refusal is not None:
            if token.revoked_at is None and api_token_is_stale(token, token.user):
                # The user was moved without the services (a bulk update, say): make the
                # revocation stick, so that a move back does not revive the token.
                api_tokens_revoke(
                    tokens=[token], reason=TokenRevocation.ORGANISATION_OR_ROLE_CHANGED
                )
            raise AuthenticationFailed(refusal)
        return token.user, token
