"""The address an event records: the client's, even behind the TLS proxy, and never one a
client could put in X-Forwarded-For itself."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from audit.web import client_address

PROXY = "10.0.0.2"


def request(remote: str, forwarded: str | None = None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


def test_with_no_trusted_proxy_the_peer_is_recorded_and_forwarded_for_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert client_address(request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


def test_forwarded_for_from_a_peer_that_is_not_a_trusted_proxy_is_ignored(settings):
    settings.TRUSTED_PROXIES = [PROXY]
    assert client_address(request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


def test_behind_the_trusted_proxy_the_client_it_saw_is_recorded(settings):
    settings.TRUSTED_PROXIES = [PROXY]
    assert client_address(request(PROXY, "198.51.100.1")) == "198.51.100.1"


def test_behind_the_trusted_proxy_an_address_the_client_forged_is_ignored(settings):
    settings.TRUSTED_PROXIES = [PROXY]
    # The client sent "X-Forwarded-For: 192.0.2.66"; the proxy appended the real address.
    assert client_address(request(PROXY, "192.0.2.66, 198.51.100.1")) == "198.51.100.1"


def test_through_two_trusted_proxies_the_right_most_untrusted_address_is_recorded(settings):
    settings.TRUSTED_PROXIES = [PROXY, "10.0.1.0/24"]
    assert client_address(request(PROXY, "192.0.2.66, 198.51.100.1, 10.0.1.5")) == "198.51.100.1"


def test_behind_the_trusted_proxy_without_forwarded_for_the_proxy_is_recorded(settings):
    settings.TRUSTED_PROXIES = [PROXY]
    assert client_address(request(PROXY)) == PROXY


@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [("[2001:db8::5]:4431", "2001:db8::5"), ("198.51.100.1:4431", "198.51.100.1")],
)
def test_a_port_the_proxy_appends_is_dropped(settings, forwarded, expected):
    settings.TRUSTED_PROXIES = [PROXY]
    assert client_address(request(PROXY, forwarded)) == expected


def test_a_malformed_entry_where_the_proxy_writes_records_no_address(settings):
    settings.TRUSTED_PROXIES = [PROXY]
    assert client_address(request(PROXY, "198.51.100.1, not-an-address")) is None


def test_a_peer_that_is_no_address_records_none(settings):
    settings.TRUSTED_PROXIES = []
    assert client_address(request("unix-socket")) is None
