"""The README's screenshots, taken again from the demo data: `make screenshots`.

Loads the demo into a throwaway SQLite database, serves it on a free local port and saves the
pages as PNGs in docs/ with Debian's Chromium, so the pictures follow the pages when they change.
The dates in the demo are relative to today, so the pictures show today's dates.
"""

import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.error import URLError
from urllib.request import urlopen

from playwright.sync_api import Browser, Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")

# The demo's personas (stonebridge/demo): the first importer's owner, who writes in English, and
# the manager of the Nan'an sawing plant, who writes in Chinese and has the plan with outcomes.
PASSWORD = "stonebridge-demo"  # noqa: S105 - the password seed_demo prints for every login
BUYER = "owner@noordsteen.example"
SUPPLIER = "manager@xinyuan.example"
SUPPLIER_SITE = "Xinyuan Stone Factory"
PLAN = "Working hours and work-injury insurance"
PLAN_ZH = "工作时间和工伤保险"

DESKTOP = {"width": 1280, "height": 900}
# The narrowest phone the workspace is made for.
PHONE = {"width": 360, "height": 740}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def manage(env: dict[str, str], *args: str) -> None:
    command = [sys.executable, "manage.py", *args]
    subprocess.run(command, cwd=ROOT, env=env, check=True)  # noqa: S603 - our own manage.py


def wait_until_up(url: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server stopped (exit code {server.returncode})")
        try:
            with urlopen(f"{url}/accounts/login/", timeout=5):  # noqa: S310 - our own server
                return
        except (URLError, ConnectionError):
            time.sleep(0.5)
    raise RuntimeError(f"the server did not answer at {url} within a minute")


@contextmanager
def demo_server() -> Iterator[str]:
    """A fresh demo on a free port; the server is stopped however the screenshots end."""
    with tempfile.TemporaryDirectory(prefix="stonebridge-screenshots-") as tmp:
        address = f"127.0.0.1:{free_port()}"
        env = os.environ | {
            "SECRET_KEY": secrets.token_urlsafe(50),
            "AUDIT_KEY": secrets.token_urlsafe(50),
            "SITE_URL": f"http://{address}",
            "HTTPS": "false",
            "DATABASE_URL": f"sqlite:///{tmp}/demo.sqlite3",
        }
        manage(env, "migrate", "--verbosity", "0")
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")
        manage(env, "seed_demo")
        command = [sys.executable, "manage.py", "runserver", "--noreload", address]
        # The server's log goes to the terminal: a failing page shows its traceback there.
        server = subprocess.Popen(command, cwd=ROOT, env=env)  # noqa: S603 - our own manage.py
        try:
            wait_until_up(env["SITE_URL"], server)
            yield env["SITE_URL"]
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def log_in(page: Page, email: str) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def save(page: Page, name: str) -> None:
    page.wait_for_load_state()
    page.screenshot(path=DOCS / name, full_page=True)
    print(f"docs/{name}")


def buyer_pages(browser: Browser, url: str) -> None:
    context = browser.new_context(
        base_url=url, viewport=DESKTOP, device_scale_factor=1, locale="en-GB"
    )
    page = context.new_page()
    log_in(page, BUYER)
    # The buyer lands on its organisation's home: traced share, top risks, actions, red flags.
    page.wait_for_selector("html[lang=en]")
    save(page, "home.png")
    page.click("nav.sections >> text=Engagement")
    page.click(f"td a:has-text('{SUPPLIER_SITE}')")
    page.click(f"a:has-text('{PLAN}')")
    page.wait_for_selector(f"h1:has-text('{PLAN}')")
    save(page, "plan.png")
    context.close()


def supplier_pages(browser: Browser, url: str) -> None:
    context = browser.new_context(
        base_url=url,
        viewport=PHONE,
        device_scale_factor=1,
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
    )
    page = context.new_page()
    log_in(page, SUPPLIER)
    # A supplier lands in its workspace, in the language its manager chose: Chinese.
    page.wait_for_selector("html[lang=zh-hans]")
    save(page, "workspace.png")
    page.click(f"a:has-text('{PLAN_ZH}')")
    page.wait_for_selector(f"h1:has-text('{PLAN_ZH}')")
    save(page, "plan-phone.png")
    context.close()


def main() -> None:
    with demo_server() as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            buyer_pages(browser, url)
            supplier_pages(browser, url)
        finally:
            browser.close()


if __name__ == "__main__":
    main()
