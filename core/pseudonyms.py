"""Stable pseudonyms for the rows managers see in place of patient identifiers (docs/product.md §1)."""

import hashlib
import hmac

from django.conf import settings

# 16 hex digits: 64 bits, so a collision is not expected before billions of patients in one scope.
PSEUDONYM_HEX_DIGITS = 16


def patient_pseudonym(patient_uuid, scope: str) -> str:
    """A keyed hash of the patient's id within ``scope`` (an ICB's managers share one): the same
    patient always reads the same within a scope, reads differently in every other scope, and
    the pseudonym cannot be turned back into a name or NHS number without the key."""
    if not scope:
        raise ValueError("A pseudonym needs a scope.")
    # A key of the scope's own, derived from the secret, so no two scopes share a keyed hash.
    scope_key = hmac.new(
        settings.INTERFACE_PSEUDONYM_KEY.encode(), f"scope:{scope}".encode(), hashlib.sha256
    ).digest()
    digest = hmac.new(scope_key, str(patient_uuid).encode(), hashlib.sha256).hexdigest()
    return f"PSN-{digest[:PSEUDONYM_HEX_DIGITS].upper()}"
