"""Templates name what they loop over and what they bind: `relationship`, never `r`."""

import re
from pathlib import Path

import stonebridge

TEMPLATES = sorted(Path(stonebridge.__file__).parent.rglob("templates/**/*.html"))
FOR_TAG = re.compile(r"{%-?\s*for\s+(.+?)\s+in\s")
WITH_TAG = re.compile(r"{%-?\s*with\s+(.+?)\s*-?%}")
BINDING = re.compile(r"(\w+)=")


def loop_and_with_names(text):
    for found in FOR_TAG.finditer(text):
        yield from (name.strip() for name in found.group(1).split(","))
    for found in WITH_TAG.finditer(text):
        yield from BINDING.findall(found.group(1))
        # The old form `{% with value as name %}`.
        yield from re.findall(r"\bas\s+(\w+)", found.group(1))


def test_the_scan_finds_the_templates_and_their_names():
    assert len(TEMPLATES) > 30
    text = "{% for r in rows %}{% for key, v in pairs %}{% with s=a.b other=c %}{% with x as y %}"
    assert list(loop_and_with_names(text)) == ["r", "key", "v", "s", "other", "y"]


def test_no_template_uses_a_one_letter_name_in_a_loop_or_with():
    short = [
        f"{path.relative_to(Path(stonebridge.__file__).parent)}: {name}"
        for path in TEMPLATES
        for name in loop_and_with_names(path.read_text())
        if len(name) == 1
    ]
    assert short == []
