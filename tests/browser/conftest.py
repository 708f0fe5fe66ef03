import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: `make system-deps` installs Debian's chromium")
    # Playwright's sync API runs an event loop in this thread; the ORM calls of the test itself
    # are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


def watch_policy(page):
    """Chromium reports what the Content-Security-Policy blocked on the console; keep those."""
    page.csp_violations = []

    def note(message):
        if "Content Security Policy" in message.text:
            page.csp_violations.append(f"{page.url}: {message.text}")

    page.on("console", note)
    return page


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = watch_policy(context.new_page())
    page.set_default_timeout(15000)
    yield page
    context.close()
    # Every browser test doubles as a check that the policy blocks nothing the pages need.
    assert page.csp_violations == []


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        locale="zh-CN",
    )
    page = watch_policy(context.new_page())
    page.set_default_timeout(15000)
    yield page
    context.close()
    assert page.csp_violations == []


@pytest.fixture(autouse=True)
def _reference_data(reference_data):
    """Browser tests run in committed transactions; see tests/conftest.py's reference_data."""
