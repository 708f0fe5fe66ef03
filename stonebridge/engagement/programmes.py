"""The guidance's engagement models as plan templates (data/programmes.json)."""

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.translation import get_language

DATA = Path(__file__).parent / "data" / "programmes.json"


@dataclass(frozen=True)
class Programme:
    code: str
    name_en: str
    name_zh: str
    summary_en: str
    summary_zh: str
    actions: list[dict[str, Any]]

    @property
    def name(self) -> str:
        return self.name_zh if (get_language() or "").startswith("zh") else self.name_en

    @property
    def summary(self) -> str:
        return self.summary_zh if (get_language() or "").startswith("zh") else self.summary_en


@cache
def programmes() -> dict[str, Programme]:
    raw = json.loads(DATA.read_text(encoding="utf-8"))["programmes"]
    return {item["code"]: Programme(**item) for item in raw}


class Names(Mapping[str, str]):
    """Programme names by code, in the language of the moment they are read (the audit log)."""

    def __getitem__(self, code: str) -> str:
        return programmes()[code].name

    def __iter__(self) -> Iterator[str]:
        return iter(programmes())

    def __len__(self) -> int:
        return len(programmes())


NAMES = Names()


def choices() -> list[tuple[str, str]]:
    return [(code, programme.name) for code, programme in programmes().items()]
