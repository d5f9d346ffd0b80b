"""What every request and response goes through, whichever app answers it.

- :class:`RefuseControlCharactersMiddleware` refuses hostile input before any lookup: a NUL
  byte or another control character in the path, the query string, a header we read or a
  posted form field is a 400 naming the field, where it used to reach a database lookup and
  come back as a 500 (PostgreSQL refuses NUL in text). JSON bodies are checked the same way
  once parsed, by ``core.parsers.JSONParser``.
- :class:`NoStoreMiddleware` marks every response of a Django view ``Cache-Control: no-store``,
  so no browser or proxy keeps a copy of a page or API answer that may name a patient
  (docs/product.md §1). WhiteNoise's static files sit above it and stay cacheable.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils.cache import patch_cache_control

from core.text import control_character_problem, is_free_text, printable_name

# The request headers the app (Django, DRF, django-htmx, the audit trail) reads, by META key.
READ_HEADERS = {
    "HTTP_AUTHORIZATION": "Authorization",
    "HTTP_COOKIE": "Cookie",
    "HTTP_HOST": "Host",
    "HTTP_USER_AGENT": "User-Agent",
    "HTTP_REFERER": "Referer",
    "HTTP_ORIGIN": "Origin",
    "HTTP_ACCEPT": "Accept",
    "HTTP_X_CSRFTOKEN": "X-CSRFToken",
    "HTTP_X_FORWARDED_FOR": "X-Forwarded-For",
    "HTTP_X_FORWARDED_PROTO": "X-Forwarded-Proto",
    "HTTP_IDEMPOTENCY_KEY": "Idempotency-Key",
    "CONTENT_TYPE": "Content-Type",
}
HTMX_HEADER_PREFIX = "HTTP_HX_"
FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _header_problems(request: HttpRequest) -> Iterator[tuple[str, str | None]]:
    for key, value in request.META.items():
        if key in READ_HEADERS:
            yield READ_HEADERS[key], control_character_problem(value)
        elif key.startswith(HTMX_HEADER_PREFIX) and isinstance(value, str):
            label = "HX-" + key.removeprefix(HTMX_HEADER_PREFIX).replace("_", "-").title()
            yield label, control_character_problem(value)


def _field_problems(
    items: Iterable[tuple[str, list]], *, free_text_allowed: bool
) -> Iterator[tuple[str, str | None]]:
    for name, values in items:
        yield printable_name(name), control_character_problem(name)
        free_text = free_text_allowed and is_free_text(name)
        for value in values:
            text = value if isinstance(value, str) else getattr(value, "name", "") or ""
            yield name, control_character_problem(text, free_text=free_text)


def _first_problem(request: HttpRequest) -> tuple[str, str] | None:
    checks: list[Iterable[tuple[str, str | None]]] = [
        [("path", control_character_problem(request.path_info))],
        _header_problems(request),
        _field_problems(request.GET.lists(), free_text_allowed=False),
    ]
    if request.method == "POST" and request.content_type in FORM_CONTENT_TYPES:
        checks.append(_field_problems(request.POST.lists(), free_text_allowed=True))
        checks.append(_field_problems(request.FILES.lists(), free_text_allowed=False))
    for check in checks:
        for field, problem in check:
            if problem:
                return field, problem
    return None


def refusal(request: HttpRequest, field: str, message: str) -> HttpResponse:
    """400 naming the field: DRF's field-error shape under /api/, an HTML page elsewhere."""
    if request.path_info.startswith("/api/"):
        response: HttpResponse = JsonResponse({field: [message]}, status=400)
    else:
        response = render(request, "400.html", {"field": field, "message": message}, status=400)
    patch_cache_control(response, no_store=True)
    return response


class RefuseControlCharactersMiddleware:
    """Refuse control characters in the path, the query, the headers we read and posted form
    fields (free text may hold tabs and line breaks) before any view or lookup runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            problem = _first_problem(request)
        except MultiPartParserError:
            problem = ("body", "The form data could not be read.")
        if problem is not None:
            return refusal(request, *problem)
        return self.get_response(request)


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on every response of a Django view (patient data may be in
    any of them); sits below WhiteNoise, so static files keep their long cache lifetimes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        patch_cache_control(response, no_store=True)
        return response
