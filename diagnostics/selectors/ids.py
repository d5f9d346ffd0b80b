"""Public ids arrive as text from URLs, forms and the API; a malformed one finds nothing."""

from __future__ import annotations

import uuid


def as_uuid(value) -> uuid.UUID | None:
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        return None
