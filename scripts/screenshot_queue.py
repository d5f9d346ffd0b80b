"""Takes docs/images/queue.png, the README's picture of the queue, from a running demo.

    make run                                   # in one terminal: the demo at :8000
    .venv/bin/python scripts/screenshot_queue.py [http://127.0.0.1:8000] [password]

Signs in as the demo consultant (the password ``make run`` prints) in headless Chromium.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

OUT = Path(__file__).resolve().parent.parent / "docs" / "images" / "queue.png"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def main(base_url: str, password: str) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(base_url=base_url, viewport={"width": 1280, "height": 900})
        page.goto("/login/")
        page.get_by_label("Username").fill("consultant")
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/")
        page.goto("/triage/queue/")
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(OUT))
        browser.close()
    print(f"Wrote {OUT}")


if __name__ == "__main__":
    args = sys.argv[1:]
    main(
        args[0] if args else "http://127.0.0.1:8000",
        args[1]
        if len(args) > 1
        else os.environ.get("INTERFACE_DEMO_PASSWORD", "interface-demo-2026"),
    )
