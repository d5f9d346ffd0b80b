"""Headless Chromium (Debian's package) driven by Playwright against pytest-django's live server.

Chromium is required under CI; locally a machine without it skips these tests.
"""

from __future__ import annotations

import os
import shutil

import pytest

from tests.conftest import require
from tests.factories import DEFAULT_PASSWORD

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
TIMEOUT_MS = 15_000
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test
# body are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def chromium():
    require(
        os.path.exists(CHROMIUM) or shutil.which("chromium") is not None,
        "needs Debian's chromium package",
    )
    from playwright.sync_api import expect, sync_playwright

    # Assertions wait as long as actions do (a loaded CI machine, the live server's first pages).
    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server):
    context = chromium.new_context(base_url=live_server.url)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def sign_in(page):
    """Sign in through the login form as a user made with the factories' default password."""

    def _sign_in(user, password: str = DEFAULT_PASSWORD):
        page.goto("/login/")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/")
        return page

    return _sign_in
