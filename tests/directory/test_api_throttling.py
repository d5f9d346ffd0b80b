"""API throttling (DRF's throttle classes): generous per-user and anonymous rates from the
environment; the benchmark's server is given a rate it never reaches."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from tests.factories import GPFactory
from tests.helpers import api_client_for

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def low_rates(monkeypatch):
    """DRF binds the rates when it is imported, so a test lowers them on the throttle class."""
    cache.clear()
    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {"user": "3/minute", "anon": "2/minute"}
    )
    yield
    cache.clear()


def test_default_rates_are_generous_for_a_clinical_api():
    assert settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] == {
        "user": "1200/minute",
        "anon": "60/minute",
    }


@pytest.mark.django_db
def test_signed_in_caller_beyond_the_rate_gets_429_with_retry_after(low_rates):
    client = api_client_for(GPFactory())
    statuses = [client.get("/api/v1/patients/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert int(client.get("/api/v1/patients/")["Retry-After"]) > 0


@pytest.mark.django_db
def test_each_caller_has_a_rate_of_their_own(low_rates):
    for _ in range(3):
        api_client_for(GPFactory(username="busy")).get("/api/v1/patients/")
    assert api_client_for(GPFactory()).get("/api/v1/patients/").status_code == 200


@pytest.mark.django_db
def test_anonymous_caller_beyond_the_rate_gets_429(low_rates):
    client = APIClient()
    statuses = [client.get("/api/docs/").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_rates_and_account_settings_come_from_the_environment():
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "API_THROTTLE_USER_RATE": "5/second",
        "API_THROTTLE_ANON_RATE": "7/hour",
        "AXES_FAILURE_LIMIT": "4",
        "AXES_COOLOFF_MINUTES": "15",
        "API_TOKEN_DAYS": "3",
        "SESSION_IDLE_TIMEOUT": "600",
    }
    code = (
        "from django.conf import settings as s; "
        "print(s.REST_FRAMEWORK['DEFAULT_THROTTLE_RATES'], s.AXES_FAILURE_LIMIT, "
        "s.AXES_COOLOFF_TIME, s.API_TOKEN_DAYS, s.SESSION_IDLE_TIMEOUT)"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert (
        result.stdout.strip().splitlines()[-1]
        == "{'user': '5/second', 'anon': '7/hour'} 4 0:15:00 3 600"
    )


def test_benchmark_server_is_given_a_rate_it_never_reaches():
    from devtools.benchmark.harness import gunicorn_environment

    env = gunicorn_environment({"PGOPTIONS": "-c x=1"})
    assert env["API_THROTTLE_USER_RATE"] == env["API_THROTTLE_ANON_RATE"] == "1000000/second"
    assert env["PGOPTIONS"] == "-c x=1"
