"""Stable pseudonyms for the rows managers see in place of patient identifiers (docs/product.md §1)."""

import hashlib
import hmac

from django.conf import settings


def patient_pseudonym(patient_uuid) -> str:
    """A keyed hash of the patient's id: the same patient always reads the same, and the
    pseudonym cannot be turned back into a name or NHS number without the key."""
    digest = hmac.new(
        settings.INTERFACE_PSEUDONYM_KEY.encode(), str(patient_uuid).encode(), hashlib.sha256
    ).hexdigest()
    return f"PSN-{digest[:10].upper()}"
