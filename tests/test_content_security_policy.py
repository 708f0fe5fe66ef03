"""Every page carries a Content-Security-Policy that allows only our own scripts and styles, and
no template needs anything else: no inline script, event handler or style attribute."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.urls import reverse

from stonebridge.settings import BASE_DIR

from .conftest import client_for


class InlineCode(HTMLParser):
    """Collects what a strict policy would block: inline scripts, handlers, styles, far sources."""

    def __init__(self) -> None:
        super().__init__()
        self.blocked: list[str] = []
        self.sources: list[str] = []
        self._in_inline_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        for name, _value in attrs:
            if name.startswith("on") or name == "style":
                self.blocked.append(f"<{tag} {name}=…>")
        if tag == "style":
            self.blocked.append("<style>")
        if tag == "script":
            if named.get("src"):
                self.sources.append(str(named["src"]))
            elif named.get("type") != "application/json" and "nonce" not in named:
                # A JSON data block is never run; anything else inline is code.
                self.blocked.append("<script> without src or nonce")
        if tag == "link" and named.get("href"):
            self.sources.append(str(named["href"]))


def inline_code(html: str) -> InlineCode:
    parser = InlineCode()
    parser.feed(html)
    return parser


def policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    pairs = (part.strip().partition(" ") for part in header.split(";") if part.strip())
    return {name: value for name, _space, value in pairs}


def test_pages_carry_a_policy_that_allows_only_our_own_scripts_and_styles(client, db):
    response = client.get(reverse("accounts:login"))
    directives = policy(response)
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"


@pytest.mark.parametrize(
    "name",
    [
        "accounts:organisation",
        "accounts:members",
        "supplychain:overview",
        "supplychain:facilities",
        "risk:register",
        "engagement:dashboard",
        "accounts:audit_log",
    ],
)
def test_main_pages_have_the_policy_and_no_inline_code(owner, buyer, chain, name):
    response = client_for(owner).get(reverse(name, args=[buyer.slug]))
    assert response.status_code == 200
    assert "Content-Security-Policy" in response
    assert inline_code(response.content.decode()).blocked == []


@pytest.mark.parametrize(
    "name", ["accounts:account", "accounts:api_tokens", "accounts:two_factor", "notifications:list"]
)
def test_personal_pages_have_the_policy_and_no_inline_code(owner, name):
    response = client_for(owner).get(reverse(name))
    assert "Content-Security-Policy" in response
    assert inline_code(response.content.decode()).blocked == []


def test_no_template_holds_inline_code():
    """Catches pages the tests above do not render: every template, as written."""
    offenders = []
    pattern = re.compile(
        r"\s(on[a-z]+|style)\s*=|<style[\s>]"
        r"|<script(?![^>]*\b(src|nonce)=)(?![^>]*application/json)"
    )
    for template in sorted((BASE_DIR / "stonebridge").rglob("templates/**/*.html")):
        for number, line in enumerate(template.read_text().splitlines(), 1):
            if pattern.search(line):
                offenders.append(f"{template.relative_to(BASE_DIR)}:{number}")
    assert offenders == []


def test_htmx_needs_no_inline_style_or_eval(client, db):
    html = client.get(reverse("accounts:login")).content.decode()
    assert '"includeIndicatorStyles": false' in html
    assert '"allowEval": false' in html


def test_api_docs_load_only_local_files(client, db):
    response = client.get("/api/docs")
    assert response.status_code == 200
    found = inline_code(response.content.decode())
    assert found.blocked == []
    assert found.sources, "the page loads Swagger UI from somewhere"
    assert all(Path(source).parts[1] == "static" for source in found.sources), found.sources
