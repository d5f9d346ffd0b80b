"""The one application error type: the API turns it into 400/409, the browser into a form error."""

from __future__ import annotations


class ApplicationError(Exception):
    """A domain rule refused the operation.

    ``field_errors`` maps a field name to its messages, in DRF's field-error shape; ``status``
    is the HTTP status the API answers with (400, or 409 for a lost race).
    """

    status = 400

    def __init__(self, message: str, *, field_errors: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message = message
        self.field_errors = field_errors or {}

    def as_dict(self) -> dict:
        body: dict = {"detail": self.message}
        body.update(self.field_errors)
        return body


class ConflictError(ApplicationError):
    """Someone else changed the record first (HTTP 409)."""

    status = 409

    def __init__(self, message: str, *, current: dict | None = None):
        super().__init__(message)
        self.current = current or {}

    def as_dict(self) -> dict:
        return {"detail": self.message, "current": self.current}
