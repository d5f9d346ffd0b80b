"""``Idempotency-Key`` for every API write (docs/api.md, "Idempotency-Key").

A client that may send a POST (or PATCH) twice, because the first answer was lost, sends the
same ``Idempotency-Key`` header with both. The first request runs and its response is kept;
a repeat by the same user, with the same method, path and body, within
``API_IDEMPOTENCY_KEY_HOURS``, gets that response again (``Idempotent-Replayed: true``) and
does nothing twice. The key with another request is 422; a repeat while the first is still
running is 409. One middleware for the whole API, so every endpoint has it, present and future.

The caller is identified with the API's own authentication classes (token or session, or a
test's forced user), exactly as the view will; a request that does not authenticate passes on
untouched and the view refuses it. A response is kept unless it says "try again" (a server
error, 408, 425 or 429): then the record is dropped and the retry runs afresh.

The response kept is replayed only to the user who was given it, within the key's lifetime;
its reads of patient data were audited when they were made (docs/product.md §1).
"""

from __future__ import annotations

import hashlib
import logging
import re
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import DatabaseError, IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from rest_framework.exceptions import APIException
from rest_framework.request import Request
from rest_framework.settings import api_settings

from core.models import IdempotencyRecord

logger = logging.getLogger(__name__)

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
METHODS = frozenset({"POST", "PATCH"})
API_PREFIX = "/api/"
# Printable ASCII without spaces (a UUID is the usual choice), at most 255 characters.
KEY_PATTERN = re.compile(r"[\x21-\x7e]{1,255}")
# Answers that mean "try again": not kept, so the retry runs.
RETRY_STATUSES = frozenset({408, 425, 429})


def key_lifetime() -> timedelta:
    return timedelta(hours=settings.API_IDEMPOTENCY_KEY_HOURS)


def _key_error(message: str, *, status: int = 400) -> JsonResponse:
    """The API's error shape (``core.errors.ApplicationError.as_dict``), naming the header."""
    return JsonResponse({"detail": message, HEADER: [message]}, status=status)


def _api_user(request: HttpRequest):
    """The caller as the API's authentication classes see them, or None. ``request.user`` is
    left as it was, so the view authenticates (and refuses) exactly as without this."""
    missing = object()
    original = request.__dict__.get("user", missing)
    drf_request = Request(
        request, authenticators=[cls() for cls in api_settings.DEFAULT_AUTHENTICATION_CLASSES]
    )
    try:
        user = drf_request.user
    except APIException:
        user = None
    finally:
        if original is missing:
            request.__dict__.pop("user", None)
        else:
            request.user = original
    return user if user is not None and user.is_authenticated else None


def _claim(*, user, key: str, method: str, path: str, digest: str):
    """Insert the record (this request runs) or return the one already there. An expired
    record is deleted and the key claimed afresh."""
    for _ in range(3):
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(
                    user=user, key=key, method=method, path=path, request_sha256=digest
                )
            return record, None
        except IntegrityError:
            pass
        existing = IdempotencyRecord.objects.filter(user=user, key=key).first()
        if existing is None:
            continue  # expired and swept meanwhile
        if existing.created_at > timezone.now() - key_lifetime():
            return None, existing
        IdempotencyRecord.objects.filter(pk=existing.pk, created_at=existing.created_at).delete()
    return None, None  # claimed and released by others three times over: let the client retry


def _answer_to_repeat(existing: IdempotencyRecord, *, method: str, path: str, digest: str):
    if (existing.method, existing.path, existing.request_sha256) != (method, path, digest):
        return _key_error(
            f"This {HEADER} was used for a different request ({existing.method} "
            f"{existing.path}) in the last {settings.API_IDEMPOTENCY_KEY_HOURS} hours. Send a "
            "new key with a new request, and the same body with a retry.",
            status=422,
        )
    if existing.status_code is None:
        response = _key_error(
            f"The first request with this {HEADER} is still in progress; retry once it has "
            "finished to get its response.",
            status=409,
        )
        response["Retry-After"] = "1"
        return response
    response = HttpResponse(
        bytes(existing.body), status=existing.status_code, content_type=existing.content_type
    )
    response[REPLAYED_HEADER] = "true"
    return response


def _keep(record: IdempotencyRecord, response: HttpResponse) -> None:
    status = response.status_code
    if status >= 500 or status in RETRY_STATUSES or response.streaming:
        IdempotencyRecord.objects.filter(pk=record.pk).delete()
        return
    IdempotencyRecord.objects.filter(pk=record.pk).update(
        status_code=status,
        content_type=response.get("Content-Type", ""),
        body=response.content,
        completed_at=timezone.now(),
    )


class IdempotencyKeyMiddleware:
    """Honour ``Idempotency-Key`` on the API's POST and PATCH requests (see the module)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.META.get("HTTP_IDEMPOTENCY_KEY")
        if (
            key is None
            or request.method not in METHODS
            or not request.path_info.startswith(API_PREFIX)
        ):
            return self.get_response(request)
        if not KEY_PATTERN.fullmatch(key):
            return _key_error(
                f"The {HEADER} header must be 1 to 255 printable ASCII characters without "
                "spaces, such as a UUID."
            )
        user = _api_user(request)
        if user is None:
            return self.get_response(request)
        try:
            digest = hashlib.sha256(request.body).hexdigest()
        except RequestDataTooBig:
            return _key_error(
                f"A request with an {HEADER} may have a body of up to "
                f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes.",
                status=413,
            )
        method, path = request.method, request.get_full_path()
        record, existing = _claim(user=user, key=key, method=method, path=path, digest=digest)
        if existing is not None:
            return _answer_to_repeat(existing, method=method, path=path, digest=digest)
        if record is None:
            return _key_error(f"The {HEADER} is in use by another request; retry.", status=409)
        try:
            response = self.get_response(request)
        except BaseException:
            IdempotencyRecord.objects.filter(pk=record.pk).delete()
            raise
        try:
            _keep(record, response)
        except DatabaseError:
            # The request's own work is done: answer it. The record stays "in progress" until it
            # expires, so a repeat is refused (409) rather than run twice.
            logger.warning("Could not keep the response for %s %s", method, path, exc_info=True)
        return response


def idempotency_records_expire() -> str:
    """The sweep: delete the records whose key has expired."""
    cutoff = timezone.now() - key_lifetime()
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lte=cutoff).delete()
    return f"{deleted} expired {HEADER} record(s) deleted."
