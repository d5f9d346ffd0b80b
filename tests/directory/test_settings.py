"""Settings come from the environment; production fails fast and passes check --deploy."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "INTERFACE_ENV": "production",
    "SECRET_KEY": "x" * 20 + "-production-secret-key-for-the-deploy-check-0123456789",
    "ALLOWED_HOSTS": "interface.example.nhs.uk",
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    # The browser tests allow async-unsafe calls in this process; a deployment never would.
    dropped = {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_without_secret_key_refuses_to_start():
    result = manage("check", env={"INTERFACE_ENV": "production", "ALLOWED_HOSTS": "x.nhs.uk"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_without_allowed_hosts_refuses_to_start():
    result = manage(
        "check", env={"INTERFACE_ENV": "production", "SECRET_KEY": PRODUCTION["SECRET_KEY"]}
    )
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_production_settings_pass_check_deploy_with_no_warnings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_debug_is_off_unless_asked_for():
    from django.conf import settings

    assert settings.DEBUG is False


@pytest.mark.django_db
def test_openapi_schema_is_served(client):
    from tests.factories import GPFactory

    client.force_login(GPFactory())
    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert b"/api/v1/patients/{patient_id}/" in response.content


@pytest.mark.django_db
def test_interactive_api_docs_load_their_assets_locally(client):
    response = client.get("/api/docs/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "swagger-ui" in body
    assert "cdn" not in body.lower()
