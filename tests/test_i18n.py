"""Every user-visible string exists in Simplified Chinese."""

import shutil
import subprocess
from pathlib import Path

import polib
from django.conf import settings
from django.core.management import call_command

CATALOG = (
    Path(settings.BASE_DIR) / "stonebridge" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
)


def test_the_catalog_has_every_string_translated_and_none_fuzzy(tmp_path, monkeypatch):
    # Extract the strings afresh from a copy of the code into a copy of the catalogue, so a new
    # untranslated string fails here even if nobody ran `make messages`.
    source = Path(settings.BASE_DIR) / "stonebridge"
    shutil.copytree(
        source,
        tmp_path / "stonebridge",
        ignore=shutil.ignore_patterns("__pycache__", "static", "*.mo"),
    )
    copy = tmp_path / "stonebridge" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    monkeypatch.chdir(tmp_path)
    call_command(
        "makemessages", locale=["zh_Hans"], no_obsolete=True, no_location=True, verbosity=0
    )
    catalog = polib.pofile(str(copy))
    untranslated = [e.msgid for e in catalog.untranslated_entries()]
    fuzzy = [e.msgid for e in catalog.fuzzy_entries()]
    assert untranslated == []
    assert fuzzy == []
    assert len(catalog) > 100
    # msgfmt's checks: a translation keeps every placeholder of its English, so a page never
    # fails to format (or shows a raw "%(name)s") in Chinese.
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "gettext's msgfmt is missing (make system-deps installs it)"
    checked = subprocess.run(
        [msgfmt, "--check", "-o", "/dev/null", str(copy)], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stderr


def test_chinese_translations_are_chinese():
    catalog = polib.pofile(str(CATALOG))
    for entry in catalog.translated_entries():
        text = entry.msgstr or entry.msgstr_plural.get(0, "")
        if any(c.isalpha() for c in entry.msgid):
            assert any("\u4e00" <= c <= "\u9fff" for c in text) or entry.msgid == text, entry.msgid


def test_error_pages_help_in_both_languages(client, db):
    page = client.get("/no-such-page/")
    assert page.status_code == 404
    body = page.content.decode()
    assert "This page does not exist" in body
    assert "此页面不存在" in body


def test_the_server_error_page_helps_in_both_languages(rf):
    from stonebridge.errors import server_error

    response = server_error(rf.get("/"))
    body = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong on our side." in body
    assert "系统出了问题" in body
