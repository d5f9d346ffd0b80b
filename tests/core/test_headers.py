"""Response headers: no-store on everything a view answers, a Content-Security-Policy with no
inline script and no framing, and X-Forwarded-Proto believed only from a named proxy."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories import GPFactory
from tests.helpers import api_client_for

ROOT = Path(__file__).resolve().parents[2]


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }


@pytest.mark.django_db
def test_a_page_is_never_stored(client):
    client.force_login(GPFactory())
    response = client.get("/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_an_api_response_is_never_stored():
    response = api_client_for(GPFactory()).get("/api/v1/referrals/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_a_refused_request_is_never_stored(client):
    response = client.get("/login/", {"next": "/\x00"})
    assert response.status_code == 400
    assert "no-store" in response["Cache-Control"]
    assert "Content-Security-Policy" in response


def test_static_files_keep_their_cache_headers(client):
    response = client.get("/static/css/interface.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


@pytest.mark.django_db
def test_a_page_carries_a_policy_with_no_inline_script_and_no_framing(client):
    response = client.get("/login/")
    policy = directives(response)
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["style-src"]
    assert "'unsafe-eval'" not in policy["script-src"]


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)


@pytest.mark.parametrize(
    "template", sorted((ROOT / "templates").rglob("*.html")), ids=lambda path: path.name
)
def test_templates_hold_no_inline_script_or_event_handler(template):
    text = template.read_text()
    assert not INLINE_SCRIPT.search(text)
    assert not EVENT_HANDLER.search(text)


@pytest.mark.django_db
def test_api_docs_load_their_script_from_the_app_itself(client):
    page = client.get("/api/docs/")
    body = page.content.decode()
    sources = re.findall(r'<script[^>]*\bsrc="([^"]+)"', body)
    assert page.status_code == 200
    assert not INLINE_SCRIPT.search(body) and "<style" not in body
    assert sources and all(src.startswith("/") and not src.startswith("//") for src in sources)
    script = client.get(next(src for src in sources if "script" in src.split("?")[-1]))
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


def proxy_ssl_header(**env: str) -> str:
    dropped = {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "TRUSTED_PROXIES"}
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    production = {
        "INTERFACE_ENV": "production",
        "SECRET_KEY": "k" * 20 + "-production-secret-key-for-the-proxy-check-0123456789",
        "ALLOWED_HOSTS": "interface.example.nhs.uk",
    }
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(getattr(settings, 'SECURE_PROXY_SSL_HEADER', None))",
        ],
        cwd=ROOT,
        env={**clean, **production, "DJANGO_SETTINGS_MODULE": "interface.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_x_forwarded_proto_is_not_believed_without_a_named_proxy():
    assert proxy_ssl_header() == "None"


def test_x_forwarded_proto_is_believed_once_a_proxy_is_named():
    assert proxy_ssl_header(TRUSTED_PROXIES="172.18.0.1") == "('HTTP_X_FORWARDED_PROTO', 'https')"
